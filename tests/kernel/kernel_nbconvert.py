#!/usr/bin/env python3
"""kernel_nbconvert.py: notebooks executed with the geolab kernel by
`python3 -m nbconvert --to notebook --execute` (Debian's python3-nbconvert),
the kernel found through a kernelspec installed into a scratch prefix. A
small notebook (array result, inline figure, HTML table) and the practicals
00_tour and 01_calibration converted with `geolab convert`: their printed
output must be the scripts' expected output (scripts/*.expected), and every
executed notebook must validate with nbformat. Exits 77 (ctest SKIP)
without nbconvert/nbformat/jupyter_client.

usage: kernel_nbconvert.py path/to/geolab scratch-dir   (run from the source root)"""
import base64
import os
import shutil
import subprocess
import sys

try:
    import nbformat
    import nbconvert  # noqa: F401
    import jupyter_client  # noqa: F401
except ImportError as e:
    print(f"SKIPPED: {e.name} is not installed (apt-get install python3-nbconvert python3-nbformat python3-jupyter-client)")
    sys.exit(77)

GEOLAB, TMP = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
SRC = os.getcwd()
shutil.rmtree(TMP, ignore_errors=True)
os.makedirs(TMP)
subprocess.run([GEOLAB, "kernel", "install", "--prefix", TMP], check=True, capture_output=True)
env = dict(os.environ, JUPYTER_PATH=os.path.join(TMP, "share/jupyter"),
           JUPYTER_RUNTIME_DIR=os.path.join(TMP, "runtime"))

def fail(what):
    print("FAILED:", what)
    sys.exit(1)

def execute(name):
    """Runs TMP/name.ipynb through nbconvert; returns the executed, validated notebook."""
    r = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
                        "--ExecutePreprocessor.timeout=600", "--output", name + ".out", name + ".ipynb"],
                       cwd=TMP, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"nbconvert {name}: {r.stderr[-3000:]}")
    nb = nbformat.read(os.path.join(TMP, name + ".out.ipynb"), as_version=4)
    nbformat.validate(nb)
    return nb

def stdout_of(nb):
    return "".join(o["text"] for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.output_type == "stream" and o.name == "stdout")

# a small notebook
nb = nbformat.v4.new_notebook()
nb.metadata["kernelspec"] = {"name": "geolab", "display_name": "geolab (Lua 5.4)", "language": "lua"}
nb.cells = [nbformat.v4.new_markdown_cell("# A small geolab notebook"),
            nbformat.v4.new_code_cell("local t = np.linspace(0, 1, 5)\nt"),
            nbformat.v4.new_code_cell("local fig, ax = plt.subplots{figsize = {3, 2}, dpi = 50}\nax:plot(t, t ^ 2)\n"
                                      "print('plotted')"),
            nbformat.v4.new_code_cell("pd.DataFrame{a = {1, 2}, b = {0.5, 1.5}}")]
nbformat.write(nb, os.path.join(TMP, "small.ipynb"))
out = execute("small")
c1, c2, c3 = out.cells[1], out.cells[2], out.cells[3]
if [o.output_type for o in c1.outputs] != ["execute_result"] or \
        c1.outputs[0].data["text/plain"] != "array([0.  , 0.25, 0.5 , 0.75, 1.  ])":
    fail(c1.outputs)
if [o.output_type for o in c2.outputs] != ["stream", "display_data"] or c2.outputs[0].text != "plotted\n":
    fail(c2.outputs)
png = base64.b64decode(c2.outputs[1].data["image/png"])
if png[:8] != b"\x89PNG\r\n\x1a\n" or png[16:24] != (150).to_bytes(4, "big") + (100).to_bytes(4, "big"):
    fail(png[:24])
if "<td>0.5</td>" not in c3.outputs[0].data["text/html"] or c3.execution_count != 3:
    fail(c3.outputs)

# the practicals, converted to notebooks by geolab convert
for script, nfig in [("00_tour", 0), ("01_calibration", 1)]:
    subprocess.run([GEOLAB, "convert", os.path.join(SRC, "scripts", script + ".lua"), "-o",
                    os.path.join(TMP, script + ".ipynb")], check=True, capture_output=True)
    # data/ is found from the notebook's folder, as the script finds it from the source root
    if not os.path.exists(os.path.join(TMP, "data")):
        os.symlink(os.path.join(SRC, "data"), os.path.join(TMP, "data"))
    out = execute(script)
    expected = open(os.path.join(SRC, "scripts", script + ".expected")).read()
    if stdout_of(out) != expected:
        fail(f"{script}: printed output differs from scripts/{script}.expected:\n{stdout_of(out)[:2000]}")
    figs = [o for c in out.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "display_data"]
    if len(figs) < nfig:
        fail(f"{script}: {len(figs)} figures shown, at least {nfig} expected")
    print(f"{script}: {len(out.cells)} cells, output as expected, {len(figs)} figures")
print("kernel_nbconvert: ok")
