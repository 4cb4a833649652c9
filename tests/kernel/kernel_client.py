#!/usr/bin/env python3
"""kernel_client.py: the geolab Jupyter kernel (issue 17) driven by Debian's
jupyter_client, started through a kernelspec that `geolab kernel install
--prefix` writes into a scratch folder. Checks the messages a notebook
depends on: kernel_info, execute (stream, execute_result, display_data with
a real PNG, error), truncation of a huge output, input_request, complete,
inspect, is_complete, interrupts (signal and message mode), a wrongly signed
and a malformed message ignored, restart. Exits 77 (ctest SKIP) when
jupyter_client is not installed.

usage: kernel_client.py path/to/geolab scratch-dir"""
import base64
import faulthandler
import os
import shutil
import subprocess
import sys
import time

faulthandler.dump_traceback_later(280, exit=True)   # a hang shows where, before ctest's timeout
km = None

def die_on_exception(etype, value, tb):   # an uncaught error (a timeout) must not hang Python either
    import traceback
    traceback.print_exception(etype, value, tb)
    sys.stdout.flush()
    try:
        km.shutdown_kernel(now=True)
    except Exception:
        pass
    os._exit(1)
sys.excepthook = die_on_exception
try:
    from jupyter_client import KernelManager
    from jupyter_client.session import Session
except ImportError:
    print("SKIPPED: no jupyter_client (apt-get install python3-jupyter-client)")
    sys.exit(77)

GEOLAB, TMP = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
shutil.rmtree(TMP, ignore_errors=True)
os.makedirs(TMP)
out = subprocess.run([GEOLAB, "kernel", "install", "--prefix", TMP], capture_output=True, text=True)
assert out.returncode == 0, out.stderr
spec_dir = os.path.join(TMP, "share/jupyter/kernels/geolab")
os.environ["JUPYTER_PATH"] = os.path.join(TMP, "share/jupyter")
os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(TMP, "runtime")

import json
spec = json.load(open(os.path.join(spec_dir, "kernel.json")))
assert spec["argv"] == [GEOLAB, "kernel", "-f", "{connection_file}"], spec
assert spec["display_name"] == "geolab (Lua 5.4)" and spec["language"] == "lua", spec
logo = open(os.path.join(spec_dir, "logo-64x64.png"), "rb").read()
assert logo[:8] == b"\x89PNG\r\n\x1a\n" and logo[16:24] == (64).to_bytes(4, "big") * 2, logo[:24]

# command-line errors: a clear message and status 1
bad = os.path.join(TMP, "bad.json")
with open(bad, "w") as f:
    f.write('{"shell_port": 1}')
for argv, msg in [(["kernel"], "usage: geolab kernel -f connection.json"),
                  (["kernel", "-f", os.path.join(TMP, "none.json")], "unable to open"),
                  (["kernel", "-f", bad], bad + ": 'control_port' is missing or not a port number"),
                  (["kernel", "install", "--usr"], "geolab kernel install: unknown option '--usr'")]:
    out = subprocess.run([GEOLAB] + argv, capture_output=True, text=True)
    assert out.returncode == 1 and msg in out.stderr and "traceback" not in out.stderr, (argv, out.stderr)

checks = 0
def check(cond, what):
    global checks
    checks += 1
    if not cond:
        print("FAILED:", what, flush=True)
        # jupyter_client's channel threads keep sys.exit from ending Python:
        # kill the kernel, then leave at once
        try:
            km.shutdown_kernel(now=True)
        except Exception:
            pass
        os._exit(1)

km = KernelManager(kernel_name="geolab")
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=60)

def run(code, timeout=60, **kw):
    msgs = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=msgs.append, **kw)
    return reply["content"], [(m["msg_type"], m["content"]) for m in msgs]

def of_type(msgs, t):
    return [c for (mt, c) in msgs if mt == t]

# kernel_info
info = kc.kernel_info(reply=True, timeout=10)["content"]
check(info["protocol_version"] == "5.3", info)
check(info["language_info"] == {"name": "lua", "version": "5.4", "mimetype": "text/x-lua", "file_extension": ".lua",
                                "pygments_lexer": "lua", "codemirror_mode": "lua"}, info)

# execute: print, the value of the last line, execution_count
r, msgs = run("print('hi', 1.5)\nlocal x = 40\nx + 2")
check(r["status"] == "ok" and r["execution_count"] == 1, r)
check([mt for mt, _ in msgs] == ["status", "execute_input", "stream", "execute_result", "status"], msgs)
check(of_type(msgs, "stream") == [{"name": "stdout", "text": "hi\t1.5\n"}], msgs)
check(of_type(msgs, "execute_result")[0]["data"] == {"text/plain": "42"}, msgs)
check(of_type(msgs, "execute_input")[0] == {"code": "print('hi', 1.5)\nlocal x = 40\nx + 2", "execution_count": 1}, msgs)
# a cell's top-level locals are the notebook's variables
r, msgs = run("x * 2")
check(r["execution_count"] == 2 and of_type(msgs, "execute_result")[0]["data"]["text/plain"] == "80", msgs)
# stderr, and statements without a value give no result
r, msgs = run("io.stderr:write('warn\\n'); io.stderr:flush()")
check(of_type(msgs, "stream") == [{"name": "stderr", "text": "warn\n"}], msgs)
r, msgs = run("y = 1")
check(of_type(msgs, "execute_result") == [], msgs)

# arrays print as NumPy prints them (numpy.arange(6).reshape(2, 3))
r, msgs = run("np.arange(6):reshape{2, 3}")
check(of_type(msgs, "execute_result")[0]["data"] == {"text/plain": "array([[0, 1, 2],\n       [3, 4, 5]])"}, msgs)

# frames: HTML table as pandas' to_html (pd.DataFrame({'a': [1, 2], 'b': ['x', 'y']}, index=[1, 2]).to_html()),
# plus the text
PANDAS_HTML = """<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;">
      <th></th>
      <th>a</th>
      <th>b</th>
    </tr>
  </thead>
  <tbody>
    <tr>
      <th>1</th>
      <td>1</td>
      <td>x</td>
    </tr>
    <tr>
      <th>2</th>
      <td>2</td>
      <td>y</td>
    </tr>
  </tbody>
</table>"""
r, msgs = run("pd.DataFrame{a = {1, 2}, b = {'x', 'y'}}")
data = of_type(msgs, "execute_result")[0]["data"]
check(data["text/html"] == PANDAS_HTML, data)
check(data["text/plain"] == "   a  b\n1  1  x\n2  2  y", data)

# figures: image/png display_data, a real PNG of the figure's size; plt.show()
# shows it where it is called, the end of the cell shows the rest; no file written
before = set(os.listdir(os.getcwd()))
r, msgs = run("local fig = plt.figure{figsize = {4, 3}, dpi = 50}\nplt.plot({1, 3, 2})\nplt.show()\n"
              "print('between')\nplt.figure{figsize = {2, 2}, dpi = 40}\nplt.plot({1, 2})")
types = [mt for mt, _ in msgs if mt != "status"]
check(types == ["execute_input", "display_data", "stream", "display_data", "execute_result"], types)
pngs = [base64.b64decode(c["data"]["image/png"]) for c in of_type(msgs, "display_data")]
for png, (w, h) in zip(pngs, [(200, 150), (80, 80)]):
    check(png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR", png[:16])
    check(int.from_bytes(png[16:20], "big") == w and int.from_bytes(png[20:24], "big") == h, (png[16:24], w, h))
    check(len(png) > 500, len(png))
check(set(os.listdir(os.getcwd())) == before, "the kernel wrote files")

# errors: ename/evalue/traceback, the kernel lives on
r, msgs = run("local t = nil\nprint('before')\nerror('boom')")
check(r["status"] == "error" and r["ename"] == "LuaError" and r["evalue"] == "In[8]:3: boom", r)
err = of_type(msgs, "error")[0]
check(err["traceback"][0] == "In[8]:3: boom" and "stack traceback:" in err["traceback"], err)
check(of_type(msgs, "stream") == [{"name": "stdout", "text": "before\n"}], msgs)
r, msgs = run("1 + 1")
check(r["status"] == "ok" and of_type(msgs, "execute_result")[0]["data"]["text/plain"] == "2", msgs)
r, msgs = run("x = = 1")
check(r["status"] == "error" and "unexpected symbol" in r["evalue"], r)

# a million lines: truncated for the frontend, and it says so
r, msgs = run("for i = 1, 1000000 do print(i) end", timeout=120)
text = "".join(c["text"] for c in of_type(msgs, "stream"))
check(len(text) < 300000 and text.startswith("1\n2\n3\n") and "output truncated" in text, len(text))
check("6888896 bytes" in text or "more bytes not sent" in text, text[-200:])

# output is sent while the cell runs, not only at its end
r, msgs = run("print('early')\nlocal t0 = os.clock()\nwhile os.clock() - t0 < 1.5 do end\nprint('late')")
check(of_type(msgs, "stream") == [{"name": "stdout", "text": "early\n"}, {"name": "stdout", "text": "late\n"}], msgs)

# io.read asks the frontend (input_request on the stdin channel)
prompts = []
def answer(msg):
    prompts.append(msg["content"])
    kc.input("21")
r, msgs = run("local n = io.read('n')\nn * 2", allow_stdin=True, stdin_hook=answer)
check(len(prompts) == 1 and of_type(msgs, "execute_result")[0]["data"]["text/plain"] == "42", (prompts, msgs))
r, msgs = run("io.read()", allow_stdin=False)
check(r["status"] == "error" and "allow_stdin" in r["evalue"], r)

# complete, inspect, is_complete
c = kc.complete("v = np.lin", 10, reply=True, timeout=10)["content"]
check(c["status"] == "ok" and "np.linspace" in c["matches"] and c["cursor_start"] == 4 and c["cursor_end"] == 10, c)
c = kc.inspect("np.linspace(0, 1)", 5, reply=True, timeout=10)["content"]
check(c["found"] and "linspace" in c["data"]["text/plain"], c)
run("local model = ml.SVC{C = 10}\nlocal frame = pd.DataFrame{a = {1}}")
c = kc.inspect("model", 5, reply=True, timeout=10)["content"]   # what a variable holds
check(c["found"] and c["data"]["text/plain"].startswith("ml.SVC"), c)
c = kc.inspect("frame:head", 10, reply=True, timeout=10)["content"]
check(c["found"] and c["data"]["text/plain"].startswith("pd.DataFrame"), c)
c = kc.inspect("nosuchname", 3, reply=True, timeout=10)["content"]
check(not c["found"], c)
# completion of a frame's columns (inside df[" and after df.) and of paths inside strings;
# cursor_start/cursor_end count characters (the é below is one)
run("df = pd.DataFrame{depth = {1, 2}, ['Suspended Load'] = {3, 4}, dz = {5, 6}}")
os.makedirs(os.path.join(TMP, "data/calibration"), exist_ok=True)
open(os.path.join(TMP, "data/cal.csv"), "w").close()
open(os.path.join(TMP, "data/.hidden"), "w").close()
for code, start, matches in [
        ('x = df["', 8, ["Suspended Load", "depth", "dz"]),
        ("x = df['Su", 8, ["Suspended Load"]),
        ("x = df.d", 4, ["df.depth", "df.describe", "df.diff", "df.div", "df.drop", "df.dropna", "df.dtypes", "df.dz"]),
        ('é = pd.read_csv("' + TMP + "/data/ca", 17, [TMP + "/data/cal.csv", TMP + "/data/calibration/"]),
        ('pd.read_csv("' + TMP + "/da", 13, [TMP + "/data/"]),
        ('-- "' + TMP + "/da", 0, None)]:
    c = kc.complete(code, len(code), reply=True, timeout=10)["content"]
    if matches is None:
        check(c["matches"] == [], (code, c))
    else:
        check(c["matches"] == matches and c["cursor_start"] == start and c["cursor_end"] == len(code), (code, c))

# nn.fit's progress: one display_data, then update_display_data with the same display_id,
# no stream of lines; at the end the display holds one line per epoch
r, msgs = run("nn.manual_seed(0)\nlocal Xp = np.random.normal{size = {512, 4}}:astype('float32')\n"
              "local yp = Xp[{{}, 1}]:gt(0):astype('int64') + 1\n"
              "local net = nn.Sequential{nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2)}\n"
              "hist = nn.fit(net, nn.DataLoader(Xp, yp, {batch_size = 2}), {loss = nn.CrossEntropyLoss(),\n"
              "  optimizer = optim.SGD(net:parameters(), {lr = 0.05}), epochs = 4, metrics = {'accuracy'}})")
check(r["status"] == "ok", r)
shown, updates = of_type(msgs, "display_data"), of_type(msgs, "update_display_data")
check(len(shown) == 1 and len(updates) >= 4 and of_type(msgs, "stream") == [], [mt for mt, _ in msgs])
ids = {c["transient"]["display_id"] for c in shown + updates}
check(len(ids) == 1 and list(ids)[0], ids)
final = updates[-1]["data"]
check(final["text/plain"].split("\n")[0].startswith("epoch 1/4  loss ") and len(final["text/plain"].split("\n")) == 4, final)
check(final["text/html"].startswith('<div class="geolab-progress">') and "epoch 4/4  loss" in final["text/html"], final)
check(any("<progress" in c["data"]["text/html"] for c in shown + updates), shown)
r, msgs = run("#hist.loss")
check(of_type(msgs, "execute_result")[0]["data"]["text/plain"] == "4", msgs)

for code, status in [("for i = 1, 3 do", "incomplete"), ("x = 1", "complete"), ("x = = 1", "invalid")]:
    kc.is_complete(code)
    c = kc.get_shell_msg(timeout=10)["content"]
    check(c["status"] == status, (code, c))

# interrupt, signal mode (the kernelspec's): a long Lua loop stops
def interrupted(send_interrupt, code):
    msg_id = kc.execute(code)
    time.sleep(1.5)
    send_interrupt()
    while True:
        m = kc.get_shell_msg(timeout=30)
        if m["parent_header"].get("msg_id") == msg_id:
            return m["content"]
c = interrupted(km.interrupt_kernel, "local s = 0\nwhile true do s = s + 1 end")
check(c["status"] == "error" and c["ename"] == "KeyboardInterrupt" and "interrupted!" in c["evalue"], c)
# message mode: interrupt_request on the control channel
def control_interrupt():
    kc.control_channel.send(kc.session.msg("interrupt_request", {}))
c = interrupted(control_interrupt, "local s = 0\nwhile true do s = s + 1 end")
check(c["status"] == "error" and c["ename"] == "KeyboardInterrupt", c)
kc.get_control_msg(timeout=10)   # its interrupt_reply
r, msgs = run("y + 1")
check(of_type(msgs, "execute_result")[0]["data"]["text/plain"] == "2", msgs)

# a comm the frontend opens (the notebook's widget manager does) is closed at once:
# geolab has no comm targets, as ipykernel answers an unknown target_name
comm = kc.session.msg("comm_open", {"comm_id": "c0ffee", "target_name": "jupyter.widget", "data": {}})
kc.shell_channel.send(comm)
closed = None
deadline = time.time() + 10
while closed is None and time.time() < deadline:
    m = kc.get_iopub_msg(timeout=10)
    if m["msg_type"] == "comm_close" and m["parent_header"].get("msg_id") == comm["header"]["msg_id"]:
        closed = m["content"]
check(closed == {"comm_id": "c0ffee", "data": {}}, closed)

# a wrongly signed and a malformed message are ignored; the kernel answers after them
sock = kc.shell_channel.socket
bad = Session(key=b"not-the-key")
bad_msg = bad.msg("execute_request", {"code": "z = 99", "silent": False})
bad.send(sock, bad_msg)
sock.send_multipart([b"<IDS|MSG>", b"", b"{not json", b"{}", b"{}", b"{}"])
sock.send_multipart([b"garbage"])
r, msgs = run("z == nil")
check(of_type(msgs, "execute_result")[0]["data"]["text/plain"] == "true", msgs)
while True:   # nothing answered the bad ones
    try:
        m = kc.get_shell_msg(timeout=0.5)
    except Exception:
        break
    check(m["parent_header"].get("msg_id") != bad_msg["header"]["msg_id"], m)

# restart: a fresh state and count
km.restart_kernel(now=False)
kc.wait_for_ready(timeout=60)
r, msgs = run("y")
check(r["execution_count"] == 1 and of_type(msgs, "execute_result") == [], (r, msgs))

kc.stop_channels()
km.shutdown_kernel(now=False)
check(not km.is_alive(), "kernel still alive after shutdown")
# a kernel whose frontend died exits (JPY_PARENT_PID), instead of living on orphaned
child = ("import os\nfrom jupyter_client import KernelManager\nkm = KernelManager(kernel_name='geolab')\n"
         "km.start_kernel()\nkc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)\n"
         "print(km.provisioner.process.pid, flush=True)\nos._exit(0)\n")
p = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=120)
pid = int(p.stdout.split()[-1])
def running(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return "\nState:\tZ" not in f.read()
    except FileNotFoundError:
        return False
deadline = time.time() + 20
while running(pid) and time.time() < deadline:
    time.sleep(0.2)
alive = running(pid)
if alive:
    os.kill(pid, 9)
check(not alive, "the orphaned kernel did not exit")
print(f"kernel_client: {checks} checks passed")
