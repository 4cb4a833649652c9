#!/bin/sh
# regenerate.sh: rewrites notebooks/*.ipynb from the practicals in scripts/
# with `geolab convert` (the notebooks are generated, never edited by hand;
# tests/report/notebooks_fresh.lua fails when one is stale).
# usage, from the source root: notebooks/regenerate.sh [path/to/geolab]
set -eu
geolab=${1:-build/geolab}
rm -f notebooks/*.ipynb
for f in scripts/*.lua; do
  "$geolab" convert "$f" -o "notebooks/$(basename "$f" .lua).ipynb"
done
