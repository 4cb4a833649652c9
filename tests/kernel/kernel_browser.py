#!/usr/bin/env python3
"""kernel_browser.py: a geolab notebook run in a real browser (issue 17).
Debian's notebook server (jupyter-notebook 6, token-less, on a free port of
127.0.0.1, with a scratch JUPYTER_PATH holding the geolab kernelspec and
scratch config/data/runtime folders) serves a small geolab notebook;
chromium, headless, opens it and is driven through the DevTools protocol
(a websocket, tornado's client): once the page says its kernel is
connected, the test clicks the page's own "Cell > Run All" menu item, waits
for the cells to finish, and checks the DOM: an inline
<img src="data:image/png..."> that the browser decoded (its natural size is
the figure's) and the frame's HTML table (<table class="dataframe">) with
its cells. The screenshot is kept as build/test-artifacts/kernel_browser.png
(docs/jupyter.md). Exits 77 (ctest SKIP) without chromium, the notebook
server or tornado (apt-get install chromium jupyter-notebook).

usage: kernel_browser.py path/to/geolab scratch-dir artifact.png"""
import asyncio
import base64
import faulthandler
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

faulthandler.dump_traceback_later(170, exit=True)   # a hang shows where, before ctest's timeout
BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
try:
    import notebook  # noqa: F401  (Debian's python3-notebook, from jupyter-notebook)
    import nbformat
    from tornado.websocket import websocket_connect
except ImportError as e:
    print(f"SKIPPED: {e.name} is not installed (apt-get install jupyter-notebook)")
    sys.exit(77)
if BROWSER is None:
    print("SKIPPED: no chromium (apt-get install chromium)")
    sys.exit(77)

GEOLAB, TMP, SHOT = (os.path.abspath(a) for a in sys.argv[1:4])
shutil.rmtree(TMP, ignore_errors=True)
os.makedirs(os.path.join(TMP, "nb"))
os.makedirs(os.path.dirname(SHOT), exist_ok=True)
subprocess.run([GEOLAB, "kernel", "install", "--prefix", TMP], check=True, capture_output=True)
env = dict(os.environ, JUPYTER_PATH=os.path.join(TMP, "share/jupyter"),
           JUPYTER_CONFIG_DIR=os.path.join(TMP, "config"), JUPYTER_DATA_DIR=os.path.join(TMP, "data"),
           JUPYTER_RUNTIME_DIR=os.path.join(TMP, "runtime"), JUPYTER_PLATFORM_DIRS="0")

nb = nbformat.v4.new_notebook()
nb.metadata["kernelspec"] = {"name": "geolab", "display_name": "geolab (Lua 5.4)", "language": "lua"}
nb.cells = [nbformat.v4.new_markdown_cell("# geolab in the browser"),
            nbformat.v4.new_code_cell("local x = np.linspace(0, 2 * math.pi, 50)\n"
                                      "local fig, ax = plt.subplots{figsize = {4, 3}, dpi = 50}\n"
                                      "ax:plot(x, x:sin())\nprint('plotted')"),
            nbformat.v4.new_code_cell("pd.DataFrame{station = {'A', 'B'}, depth_m = {12.5, 40}}")]  # columns in name order (a Lua table)
nbformat.write(nb, os.path.join(TMP, "nb", "browser.ipynb"))

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

procs = []
def cleanup():
    for p in reversed(procs):   # chromium first, then the server (which shuts its kernels down)
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

def fail(what):
    print("FAILED:", what, flush=True)
    for name in ("server.log", "chromium.log"):
        try:
            print(f"--- {name} (end)\n" + open(os.path.join(TMP, name)).read()[-3000:])
        except OSError:
            pass
    cleanup()
    sys.exit(1)

def wait_http(url, what, timeout=60):
    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read()
        except OSError:
            time.sleep(0.2)
    fail(f"{what} did not answer at {url} within {timeout} s")

port, devport = free_port(), free_port()
server = subprocess.Popen([sys.executable, "-m", "notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1",
                           f"--port={port}", "--port-retries=0", f"--notebook-dir={os.path.join(TMP, 'nb')}",
                           "--NotebookApp.token=", "--NotebookApp.password=", "--NotebookApp.open_browser=False"],
                          env=env, stdout=open(os.path.join(TMP, "server.log"), "w"), stderr=subprocess.STDOUT)
procs.append(server)
specs = json.loads(wait_http(f"http://127.0.0.1:{port}/api/kernelspecs", "the notebook server"))
if "geolab" not in specs.get("kernelspecs", {}):
    fail(f"the server does not see the geolab kernelspec: {specs}")

chrome = subprocess.Popen([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={os.path.join(TMP, 'profile')}", "--window-size=900,900",
                           f"--remote-debugging-port={devport}", "--remote-allow-origins=*",
                           f"http://127.0.0.1:{port}/notebooks/browser.ipynb"],
                          stdout=open(os.path.join(TMP, "chromium.log"), "w"), stderr=subprocess.STDOUT)
procs.append(chrome)
targets = []
t0 = time.time()
while not targets and time.time() - t0 < 30:
    targets = [t for t in json.loads(wait_http(f"http://127.0.0.1:{devport}/json", "chromium's DevTools"))
               if t.get("type") == "page" and "browser.ipynb" in t.get("url", "")]
    time.sleep(0.2)
if not targets:
    fail("chromium has no page for the notebook")

# The page's own state and DOM, read with the DevTools protocol
KERNEL_READY = ("!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && "
                "Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel.name === 'geolab')")
RUN_ALL = "(function () { var a = document.querySelector('#run_all_cells > a'); if (!a) return false; a.click(); return true; })()"
STATE = """(function () {
  var cells = Jupyter.notebook.get_cells().filter(function (c) { return c.cell_type === 'code'; });
  var imgs = Array.prototype.map.call(document.querySelectorAll('.output_area img'), function (i) {
    return {src: i.getAttribute('src').slice(0, 22), w: i.naturalWidth, h: i.naturalHeight}; });
  var tables = Array.prototype.map.call(document.querySelectorAll('.output_area table.dataframe'), function (t) {
    return Array.prototype.map.call(t.querySelectorAll('th, td'), function (c) { return c.textContent; }); });
  var text = Array.prototype.map.call(document.querySelectorAll('.output_area .output_stream'), function (s) {
    return s.textContent; });
  return {counts: cells.map(function (c) { return c.input_prompt_number; }), imgs: imgs, tables: tables,
          text: text, busy: document.querySelector('#kernel_indicator_icon').className};
})()"""

async def drive():
    ws = await websocket_connect(targets[0]["webSocketDebuggerUrl"], max_message_size=64 << 20)
    ids = iter(range(1, 1 << 30))
    async def call(method, **params):
        i = next(ids)
        await ws.write_message(json.dumps({"id": i, "method": method, "params": params}))
        while True:
            msg = await asyncio.wait_for(ws.read_message(), 30)
            if msg is None:
                fail("chromium closed the DevTools connection")
            m = json.loads(msg)
            if m.get("id") == i:
                if "error" in m:
                    fail(f"{method}: {m['error']}")
                return m["result"]
    async def js(expr):
        r = await call("Runtime.evaluate", expression=expr, returnByValue=True)
        if "exceptionDetails" in r:
            return None
        return r["result"].get("value")
    async def until(expr, what, timeout=60):
        t0 = time.time()
        while time.time() - t0 < timeout:
            v = await js(expr)
            if v:
                return v
            await asyncio.sleep(0.25)
        fail(f"{what} (waited {timeout} s); page state: {await js(STATE)}")
    await until(KERNEL_READY, "the page never had its geolab kernel connected")
    if not await js(RUN_ALL):
        fail("the page has no Cell > Run All menu item")
    await until(f"(function () {{ var s = {STATE}; return s.counts.every(function (n) {{ return typeof n === 'number'; }})"
                " && s.busy.indexOf('kernel_idle_icon') >= 0 && s.imgs.length > 0 && s.tables.length > 0; })()",
                "the cells did not all run and show their outputs")
    state = await js(STATE)
    shot = await call("Page.captureScreenshot", format="png")
    with open(SHOT, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    await call("Page.navigate", url="about:blank")   # the page closes its kernel session before we stop the server
    ws.close()
    return state

state = asyncio.run(drive())
print("page state:", json.dumps(state))
checks = [
    (state["counts"] == [1, 2], f"the two code cells ran in order: {state['counts']}"),
    (len(state["imgs"]) == 1 and state["imgs"][0]["src"] == "data:image/png;base64,", f"one inline PNG: {state['imgs']}"),
    (len(state["imgs"]) == 1 and (state["imgs"][0]["w"], state["imgs"][0]["h"]) == (200, 150),
     f"the browser decoded the 4 x 3 in, 50 dpi figure: {state['imgs']}"),
    (state["tables"] == [["", "depth_m", "station", "1", "12.5", "A", "2", "40.0", "B"]],
     f"the frame's HTML table: {state['tables']}"),
    (state["text"] == ["plotted\n"], f"the printed text: {state['text']}"),
]
for ok, what in checks:
    if not ok:
        fail(what)
png = open(SHOT, "rb").read()
if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 5000:
    fail(f"the screenshot {SHOT} is not a PNG of the page ({len(png)} bytes)")
cleanup()
print(f"kernel_browser: {len(checks) + 1} checks passed; screenshot {SHOT}")
