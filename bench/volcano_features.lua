-- bench/volcano_features.lua: the feature extraction of practical 2 (issue 13)
-- for 10,000 windows of 8192 samples, paired with bench/volcano_features.py
-- (the same recipe in NumPy/SciPy, data/volcano/check_sklearn.py). The windows
-- are the 8 stations of 25 events per class of data/volcano/generate.lua
-- (1,000 traces), each with its event's span, taken 10 times: every window's
-- features are computed from scratch, as a loop over files would. One loop
-- over the windows, timed once (it lasts seconds); the features are saved to
-- bench/out/ and the Python side checks its own against them.
-- BENCH_VOLCANO_N=500 (or BENCH_QUICK=1) runs a shorter loop (a check, not a measure).
local V = dofile("data/volcano/features.lua")
local G = dofile("data/volcano/generate.lua")
local nwin = tonumber(os.getenv("BENCH_VOLCANO_N")
  or ((os.getenv("BENCH_QUICK") or "0") ~= "0" and "500" or "10000"))
os.execute("mkdir -p bench/out")

local traces = np.zeros({1000, 8192}, "float32")
local spans = np.zeros({1000, 2}, "int64")
local row = 0
for c, cls in ipairs(G.classes) do
  for i = 1, 25 do
    local ev = G.event(cls, np.random.Generator(1000 * c + i))
    local a, b = V.span(ev)
    traces[{{row + 1, row + 8}}] = ev[{{1, 8}}]
    spans[{{row + 1, row + 8}, 1}] = a
    spans[{{row + 1, row + 8}, 2}] = b
    row = row + 8
  end
end
np.save("bench/out/volcano_traces.npy", traces)
np.save("bench/out/volcano_spans.npy", spans)

local X = np.zeros{nwin, #V.names}
local t0 = os.perf_counter()
for w = 1, nwin do
  local k = (w - 1) % 1000 + 1
  local f = V.features(traces[k]:astype("float64"), spans[{k, 1}], spans[{k, 2}])
  X[w] = np.array(f)
end
local ms = (os.perf_counter() - t0) * 1000
print(("RESULT features_%d_windows_8192 %.3f"):format(nwin, ms))
np.save("bench/out/volcano_features.npy", X)
