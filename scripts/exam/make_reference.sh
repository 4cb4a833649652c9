#!/bin/sh
# make_reference.sh: the teacher's reference run of the exam example,
# scripts/exam/05_reference.json, which graded submissions are compared with
# (geolab grade ... --expected scripts/exam/05_reference.json). Run from the
# project root after a change to scripts/05_exam_example.lua or the tests.
set -e
out=$(mktemp -d)
build/geolab grade scripts/05_exam_example.lua --data data --out "$out" --tests scripts/exam/05_exam.tests.lua
cp "$out/summary.json" scripts/exam/05_reference.json
rm -rf "$out"
