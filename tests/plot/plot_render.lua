-- plot_render.lua: what a person would see: marks at the right pixels for
-- known data, colormaps equal to matplotlib's, legends away from data, valid
-- and byte-stable PNG files, SVG/PDF output, and the errors of bad input.
local T = require "testlib"
local core = plt._core

-- A 200 x 200 pixel figure whose axes fill it: data (x, y) in [0, 10]^2 maps
-- to pixel (20 x, 200 - 20 y).
local function canvas_fig ()
  local fig = plt.figure {figsize = {2, 2}, dpi = 100}
  local ax = fig:add_axes {0, 0, 1, 1}
  ax:set_xlim(0, 10); ax:set_ylim(0, 10)
  return fig, ax
end
local function rgb (cv, x, y) local r, g, b = cv:pixel(x, y); return {r, g, b} end
local function near (c, ref, tol)
  for i = 1, 3 do if math.abs(c[i] - ref[i]) > (tol or 2) then return false end end
  return true
end
local WHITE, RED, BLUE = {255, 255, 255}, {255, 0, 0}, {0, 0, 255}

-- {===== marks at known pixels
do
  local fig, ax = canvas_fig()
  ax:scatter({5, 2}, {5, 8}, {s = 100, c = "red"})   -- s=100 pt^2: 13.9 px wide
  local cv = fig:render()
  T.ok(near(rgb(cv, 100, 100), RED), "scatter point at (5,5) is red at pixel (100,100)")
  T.ok(near(rgb(cv, 40, 40), RED), "scatter point at (2,8) is red at pixel (40,40)")
  T.ok(near(rgb(cv, 100, 120), WHITE), "10 px below the point is background")
  T.ok(near(rgb(cv, 110, 100), WHITE), "10 px right of the point is background")
end
do
  local fig, ax = canvas_fig()
  -- many points take the stamp path: same pixels
  local xs, ys = {}, {}
  for i = 1, 200 do xs[i] = 5; ys[i] = 5 end
  xs[201], ys[201] = 2, 8
  ax:scatter(xs, ys, {s = 100, c = "blue"})
  local cv = fig:render()
  T.ok(near(rgb(cv, 100, 100), BLUE), "stamped point at (100,100)")
  T.ok(near(rgb(cv, 40, 40), BLUE), "stamped point at (40,40)")
  T.ok(near(rgb(cv, 100, 115), WHITE), "stamped point has the right size")
end
do
  local fig, ax = canvas_fig()
  ax:plot({0, 10}, {5, 5}, {color = "red", lw = 4})             -- horizontal line at y pixel 100
  ax:plot({0, 4, 0 / 0, 6, 10}, {2, 2, 2, 2, 2}, {color = "blue", lw = 4})   -- NaN breaks at x 4..6
  local cv = fig:render()
  T.ok(near(rgb(cv, 50, 100), RED) and near(rgb(cv, 150, 99), RED), "line at y=5")
  T.ok(near(rgb(cv, 100, 90), WHITE), "nothing above the line")
  T.ok(near(rgb(cv, 40, 160), BLUE) and near(rgb(cv, 160, 160), BLUE), "line on both sides of the NaN")
  T.ok(near(rgb(cv, 100, 160), WHITE), "the line breaks at NaN")
end
do
  local fig, ax = canvas_fig()
  ax:bar({2, 6}, {5, 8}, {width = 2, color = "red"})
  local cv = fig:render()
  T.ok(near(rgb(cv, 40, 150), RED), "bar 1 covers (2, 2.5)")
  T.ok(near(rgb(cv, 40, 90), WHITE), "bar 1 ends at 5")
  T.ok(near(rgb(cv, 120, 50), RED), "bar 2 reaches 8")
  T.ok(near(rgb(cv, 80, 150), WHITE), "gap between bars")
end
do   -- log axis: 10 lies at the middle of [1, 100]
  local fig, ax = canvas_fig()
  ax:set_xscale("log"); ax:set_xlim(1, 100)
  ax:scatter({10}, {5}, {s = 100, c = "red"})
  local cv = fig:render()
  T.ok(near(rgb(cv, 100, 100), RED), "log axis: 10 maps to the centre")
end
do   -- inverted y: y=8 near the bottom
  local fig, ax = canvas_fig()
  ax:invert_yaxis()
  ax:set_ylim(10, 0)
  ax:scatter({2}, {8}, {s = 100, c = "red"})
  local cv = fig:render()
  T.ok(near(rgb(cv, 40, 160), RED), "inverted y axis")
end
do   -- imshow: nearest pixels with viridis values, origin upper
  local fig = plt.figure {figsize = {2, 2}, dpi = 100}
  local ax = fig:add_axes {0, 0, 1, 1}
  ax:imshow({{0, 1}, {0.5, 0.25}}, {cmap = "viridis", aspect = "auto"})
  local cv = fig:render()
  T.ok(near(rgb(cv, 50, 50), {68, 1, 84}), "top-left cell is viridis(0)")
  T.ok(near(rgb(cv, 150, 50), {253, 231, 36}), "top-right cell is viridis(1)")
  T.ok(near(rgb(cv, 50, 150), {33, 145, 140}, 3), "bottom-left cell is viridis(0.5)")
  local f2 = plt.figure {figsize = {2, 2}, dpi = 100}
  local a2 = f2:add_axes {0, 0, 1, 1}
  a2:imshow({{0, 1}, {0.5, 0.25}}, {cmap = "viridis", aspect = "auto", origin = "lower"})
  cv = f2:render()
  T.ok(near(rgb(cv, 50, 150), {68, 1, 84}), "origin lower: row 1 at the bottom")
  local f3 = plt.figure {figsize = {2, 2}, dpi = 100}
  local a3 = f3:add_axes {0, 0, 1, 1}
  a3:pcolormesh({0, 1, 2}, {0, 1, 2}, {{0, 1}, {0.5, 0.25}}, {cmap = "viridis"})
  cv = f3:render()
  T.ok(near(rgb(cv, 50, 150), {68, 1, 84}) and near(rgb(cv, 150, 150), {253, 231, 36}), "pcolormesh: row 1 at y 0..1 (bottom)")
end
do   -- RGB images: uint8 0..255 and float 0..1
  local f1 = plt.figure {figsize = {2, 2}, dpi = 100}
  f1:add_axes({0, 0, 1, 1}):imshow(np.array({{{255, 0, 0}, {0, 0, 255}}}, "uint8"), {aspect = "auto"})
  local cv = f1:render()
  T.ok(near(rgb(cv, 50, 100), RED) and near(rgb(cv, 150, 100), BLUE), "uint8 RGB image")
  local f2 = plt.figure {figsize = {2, 2}, dpi = 100}
  f2:add_axes({0, 0, 1, 1}):imshow({{{1.0, 0.0, 0.0}, {0.0, 0.0, 1.0}}}, {aspect = "auto"})
  cv = f2:render()
  T.ok(near(rgb(cv, 50, 100), RED) and near(rgb(cv, 150, 100), BLUE), "float RGB image")
end
do   -- fill_between and axhline / axvspan
  local fig, ax = canvas_fig()
  ax:fill_between({0, 10}, {2, 2}, {4, 4}, {color = "blue"})
  ax:axvline(5, {color = "red", lw = 4})
  local cv = fig:render()
  T.ok(near(rgb(cv, 20, 140), BLUE), "fill_between band")
  T.ok(near(rgb(cv, 20, 100), WHITE), "above the band")
  T.ok(near(rgb(cv, 100, 20), RED), "axvline spans the axes")
end
-- =====}

-- {===== fast paths draw what the general paths draw
local function diff (a, b, w, h, thresh)
  local bad = 0
  for y = 0, h - 1, 2 do for x = 0, w - 1, 2 do
    local r1, g1, b1 = a:pixel(x, y)
    local r2, g2, b2 = b:pixel(x, y)
    if math.abs(r1 - r2) > thresh or math.abs(g1 - g2) > thresh or math.abs(b1 - b2) > thresh then bad = bad + 1 end
  end end
  return bad / (w * h / 4)
end
do
  -- 5000 translucent points: one-colour transmittance path vs per-point colours
  local n = 5000
  local x, y, cols = {}, {}, {}
  for i = 1, n do x[i] = 5 + 3 * math.sin(i * 0.37) * math.cos(i * 0.011); y[i] = 5 + 3 * math.cos(i * 0.53); cols[i] = {0.2, 0.4, 0.8, 0.3} end
  local f1, a1 = canvas_fig(); a1:scatter(x, y, {s = 9, color = {0.2, 0.4, 0.8}, alpha = 0.3})
  local f2, a2 = canvas_fig(); a2:scatter(x, y, {s = 9, c = cols})
  T.ok(diff(f1:render(), f2:render(), 200, 200, 8) < 0.01, "single-colour fast scatter matches per-point compositing")
end
do
  -- a 200,000-vertex noisy line: simplified and exact strokes look the same
  local n = 200000
  local x, y = {}, {}
  for i = 1, n do x[i] = 10 * (i - 1) / (n - 1); y[i] = 5 + 3 * math.sin(x[i]) + 0.5 * math.sin(i * 12.9898) end
  local xa, ya = plt._core.asarray(x), plt._core.asarray(y)
  local cv1, cv2 = plt._core.canvas(200, 200, "png"), plt._core.canvas(200, 200, "png")
  cv1:fill(1, 1, 1, 1); cv2:fill(1, 1, 1, 1)
  local m = {0, 10, 0, 200, 0, 1}
  local my = {0, 10, 200, 0, 0, 1}
  local k = cv1:lines(xa, ya, m, my, {color = {0, 0, 0, 1}, lw = 1})
  cv2:lines(xa, ya, m, my, {color = {0, 0, 0, 1}, lw = 1, simplify = false})
  T.ok(k < n / 5, ("simplification keeps %d of %d vertices"):format(k, n))
  T.ok(diff(cv1, cv2, 200, 200, 64) < 0.03, "simplified line looks the same (edge antialiasing only)")
end
-- =====}

-- {===== colormaps against matplotlib (fixture from gen_cmaps.py)
do
  local F = dofile("tests/fixtures/plot/cmaps.lua")
  local bad = 0
  local n = 0
  for name, ref in pairs(F.maps) do
    local base, rev = name, false
    if name:sub(-2) == "_r" then base, rev = name:sub(1, -3), true end
    local t = core.tolist(core.cmap_apply(F.xs, base, 0, 1, {reverse = rev}))
    for i = 1, #F.xs do
      for k = 1, 4 do
        local got = math.floor(t[4 * (i - 1) + k] * 255)   -- matplotlib's bytes=True truncates
        if got ~= ref[i][k] then bad = bad + 1; if bad < 5 then print("cmap", name, i, k, got, ref[i][k]) end end
      end
    end
    n = n + 1
  end
  T.ok(n >= 28, "fixture has every colormap and its reverse")
  T.eq(bad, 0, "colormap values differing from matplotlib")
  T.eq(#plt.colormaps() >= 28, true)
end
-- =====}

-- {===== legend placed away from data
do
  local fig, ax = plt.subplots()
  local x, y = {}, {}
  for i = 1, 100 do x[i] = i; y[i] = i end   -- a diagonal from lower left to upper right
  ax:plot(x, y, {label = "diagonal"})
  ax:scatter(x, y, {s = 4, label = "points"})
  ax:legend()
  local cv = fig:render()
  local box = ax._legend_box
  T.ok(box ~= nil, "legend drawn")
  local mx, my = ax:_map("x"), ax:_map("y")
  local inside = core.count_in_box(ax.artists[1].x, ax.artists[1].y, mx, my, box, true)
  T.eq(inside, 0, "legend 'best' overlaps no data")
  -- the diagonal leaves the upper-left corner free
  T.ok(box[1] < (ax.box[1] + ax.box[3]) / 2 and box[2] < (ax.box[2] + ax.box[4]) / 2, "legend in the upper left")
  local _ = cv
end
-- =====}

-- {===== files: valid PNG, same bytes on every run, SVG and PDF
local function read (p) local f = assert(io.open(p, "rb")); local s = f:read("a"); f:close(); return s end
local function scene (path)
  local fig, axs = plt.subplots(1, 2, {figsize = {6, 3}})
  local x, y = {}, {}
  for i = 1, 50 do x[i] = i / 5; y[i] = math.sin(i / 5) end
  axs[1]:plot(x, y, "o-", {label = "sin µ°²"}); axs[1]:legend(); axs[1]:set_title("$\\alpha^2$")
  axs[2]:scatter(x, y, {c = y, cmap = "plasma"}); axs[2]:set_xlabel("x (m)")
  fig:savefig(path)
  plt.close(fig)
end
do
  local p1, p2 = T.tmp("plot_a.png"), T.tmp("plot_b.png")
  scene(p1); scene(p2)
  T.ok(read(p1) == read(p2), "same script, same PNG bytes")
  local w, h, px = core.read_png(p1)
  T.eq({w, h}, {600, 300}, "PNG decodes with libpng to the figure size")
  T.eq(#px, 600 * 300 * 4)
  T.ok(not read(p1):find("tIME", 1, true) and not read(p1):find("tEXt", 1, true), "no time or text chunks")
  -- thread count does not change the bytes (the host's --threads option)
  local exe = os.getenv("GEOLAB_BUILD_DIR") and (os.getenv("GEOLAB_BUILD_DIR") .. "/geolab")
  local f = exe and io.open(exe, "rb")
  if f then
    f:close()
    local script = T.tmp("plot_thr.lua")
    local out = io.open(script, "w")
    out:write(([[local fig, ax = plt.subplots(); ax:scatter(np.random.normal(0, 1, {20000}), np.random.normal(0, 1, {20000}), {s = 2, alpha = 0.3}); ax:hist(np.random.normal(0, 1, {1000})); ax:set_title("$\\sigma$ µm"); fig:savefig(arg[1]); fig:savefig(arg[2])]]))
    out:close()
    local t1, t2 = T.tmp("plot_t1.png"), T.tmp("plot_t2.png")
    local v1, v2 = T.tmp("plot_t1.svg"), T.tmp("plot_t2.svg")
    os.execute(("%s --threads 1 %s %s %s"):format(exe, script, t1, v1))
    os.execute(("%s --threads 2 %s %s %s"):format(exe, script, t2, v2))
    local ok1, a = pcall(read, t1)
    local ok2, b = pcall(read, t2)
    T.ok(ok1 and ok2 and a == b, "--threads 1 and 2 give the same PNG bytes")
    ok1, a = pcall(read, v1)
    ok2, b = pcall(read, v2)
    T.ok(ok1 and ok2 and a == b, "two runs give the same SVG bytes")
  end
  local s1, s2 = T.tmp("plot_a.svg"), T.tmp("plot_b.svg")
  scene(s1); scene(s2)
  T.ok(read(s1):find("<svg", 1, true) ~= nil, "SVG written")
  -- (SVG ids come from Cairo's per-process counters: compared across runs above)
  local d1, d2 = T.tmp("plot_a.pdf"), T.tmp("plot_b.pdf")
  scene(d1); scene(d2)
  T.ok(read(d1):sub(1, 5) == "%PDF-", "PDF written")
  T.ok(read(d1) == read(d2), "PDF bytes stable (fixed creation date)")
end
-- =====}

-- {===== bad input: clear errors, matplotlib's behaviour, never a crash
do
  local fig, ax = plt.subplots()
  T.err("x and y must have same first dimension", function () ax:plot({1, 2, 3}, {1, 2}) end)
  T.err("scatter: x and y must be the same size", function () ax:scatter({1, 2, 3}, {1, 2}) end)
  T.err("unknown colormap 'viridiss' (did you mean 'viridis'?)", function () ax:imshow({{1, 2}}, {cmap = "viridiss"}) end)
  T.err("unknown colour 'bleu' (did you mean 'blue'?)", function () ax:plot({1, 2}, {1, 2}, {color = "bleu"}) end)
  T.err("unknown option 'colour' (did you mean 'color'?)", function () ax:plot({1, 2}, {1, 2}, {colour = "red"}) end)
  T.err("unknown scale 'logg' (did you mean 'log'?)", function () ax:set_xscale("logg") end)
  T.err("legend: unknown location", function () ax:plot({1}, {1}, {label = "a"}); ax:legend {loc = "upper rigth"}; fig:render() end)
  ax.legend_opts = nil
  T.err("format 'jpg' is not supported", function () fig:savefig(T.tmp("x.jpg")) end)
  T.err("savefig: cannot write /nonexistent-dir/x.png", function () fig:savefig("/nonexistent-dir/x.png") end)
  T.err("empty image", function () ax:imshow({}) end)
  T.err("hist: histtype must be one of", function () ax:hist({1, 2}, {histtype = "bars"}) end)
  T.err("add_subplot: num must be an integer with 1 <= num <= 4", function () fig:add_subplot(2, 2, 5) end)
  T.err("colorbar: the first argument must be a mappable", function () fig:colorbar({}) end)
  T.err("figsize must be", function () plt.figure {figsize = {0, 3}} end)
  T.err("is too large", function () local f = plt.figure {figsize = {400, 300}}; f:savefig(T.tmp("big.png")) end)
  plt.close("all")
  -- an unwritable target leaves no partial file behind
  local p = T.tmp("keep.png")
  local f2, ax2 = plt.subplots(); ax2:plot({1, 2}, {1, 2}); f2:savefig(p)
  local before = read(p)
  T.err("savefig", function () f2:savefig(p .. "/sub.png") end)
  T.ok(read(p) == before, "existing file untouched")
  -- NaN/inf are skipped; empty data and log axes with non-positive values still draw
  local f3, ax3 = plt.subplots()
  ax3:plot({1, 2, 0 / 0, 4, math.huge}, {1, 0 / 0, 3, 4, 5})
  ax3:scatter({}, {})
  ax3:hist({})
  ax3:plot({1, 2, 3}, {-1, 0, 10}); ax3:set_yscale("log")
  local ok = pcall(function () f3:render() end)
  T.ok(ok, "NaN, inf, empty data and non-positive values on a log axis render")
  local lo, hi = ax3:get_ylim()
  T.ok(lo > 0 and hi > 10, "log limits come from the positive values")
  local f4, ax4 = plt.subplots()
  ax4:plot({}, {})
  T.ok(pcall(function () f4:render() end), "empty line renders")
  plt.close("all")
end
-- =====}

-- {===== transparent figures and per-point colour names
do
  local fig, ax = canvas_fig()
  ax:scatter({2, 8}, {5, 5}, {s = 100, c = {"red", "blue"}})
  local p = T.tmp("plot_transparent.png")
  fig:savefig(p, {transparent = true})
  local w, h, px = core.read_png(p)
  local function at (x, y) local i = (y * w + x) * 4; return {px:byte(i + 1, i + 4)} end
  T.eq(at(150, 20)[4], 0, "transparent background")
  T.eq(at(40, 100), {255, 0, 0, 255}, "first point red")
  T.eq(at(160, 100), {0, 0, 255, 255}, "second point blue")
  local _ = h
end
-- =====}

-- {===== plt.show writes a PNG and returns (prints) its path
do
  plt.close("all")
  local fig, ax = plt.subplots(); ax:plot({1, 2}, {2, 1})
  local path = plt.show {inline = false}
  T.ok(type(path) == "string" and path:match("geolab%-figure%-%d+%.png$") ~= nil, "show returns the PNG path")
  local w = core.read_png(path)
  T.eq(w, 640, "show wrote the figure")
  os.remove(path)
end
-- =====}

-- {===== layout: decorations do not overlap neighbours
do
  local fig, axs = plt.subplots(2, 2, {figsize = {6, 5}})
  for r = 1, 2 do for c = 1, 2 do
    local ax = axs[r][c]
    ax:plot({0, 1e5}, {0, 1e5}); ax:set_xlabel("a long x label (units)"); ax:set_ylabel("y label"); ax:set_title("title")
  end end
  fig:render()
  local a, b, c = axs[1][1], axs[1][2], axs[2][1]
  local L = b:_decor()
  T.ok(a.box[3] < b.box[1] - L, "right column's y labels clear the left axes")
  local _, _, _, B = a:_decor()
  local _, _, Tt = c:_decor()
  T.ok(a.box[4] + B <= c.box[2] - Tt + 1, "top row's x labels clear the bottom row's title")
  T.ok(a.box[1] - L >= 0 and b.box[3] <= 600, "decorations inside the figure")
  plt.close("all")
end
-- =====}

T.done()
