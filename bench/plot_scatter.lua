-- bench/plot_scatter.lua: plotting targets of issue 5 (paired with plot_scatter.py):
-- a 1,000,000-point scatter and a 1,000,000-vertex line saved to 800x600 PNGs.
local B = dofile("bench/common.lua")
local quick, result = B.quick, B.result
local best = B.timer{reps = 5}
-- the renderers differ, so the pixels do: both sides check the PNG's size
local function check_png(case, path)
  local f = assert(io.open(path, "rb"))
  local head = f:read(24)
  f:close()
  local w, h = (">I4I4"):unpack(head, 17)
  print(("CHECK %s png_width %d"):format(case, w))
  print(("CHECK %s png_height %d"):format(case, h))
end

local n = 1000000
local rng = np.random.Generator(0)
local x, y = rng:normal(0, 1, {n}), rng:normal(0, 1, {n})
os.execute("mkdir -p bench/out")
result("scatter_1M_800x600_png", best(function ()
  local fig, ax = plt.subplots({figsize = {8, 6}, dpi = 100})
  ax:scatter(x, y, {s = 1, alpha = 0.5})
  fig:savefig("bench/out/plot_scatter_geolab.png")
  plt.close(fig)
end))
check_png("scatter_1M_800x600_png", "bench/out/plot_scatter_geolab.png")
local t = np.linspace(0, 100, n)
local sig = np.sin(t) + rng:normal(0, 0.1, {n})
result("line_1M_800x600_png", best(function ()
  local fig, ax = plt.subplots({figsize = {8, 6}, dpi = 100})
  ax:plot(t, sig, {lw = 0.5})
  fig:savefig("bench/out/plot_line_geolab.png")
  plt.close(fig)
end))
check_png("line_1M_800x600_png", "bench/out/plot_line_geolab.png")
