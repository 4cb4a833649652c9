-- plot_views.lua: the special views: 3-D scatter (depth order, view), ternary
-- coordinates, confusion matrices, scatter matrices, waveform panels, image grids.
local T = require "testlib"
local core = plt._core

-- {===== 3-D: the nearer of two overlapping points is drawn on top
do
  local function draw (azim)
    local fig = plt.figure {figsize = {3, 3}, dpi = 100}
    local ax = fig:add_subplot(1, 1, 1, {projection = "3d"})
    -- two points on the x axis seen along it: one hides the other
    ax:scatter({-1, 1}, {0, 0}, {0, 0}, {c = {0, 1}, cmap = "bwr_missing_is_error", s = 400})
    return fig, ax
  end
  T.err("unknown colormap 'bwr_missing_is_error'", draw, 0)
  local function draw2 (azim)
    local fig = plt.figure {figsize = {3, 3}, dpi = 100}
    local ax = fig:add_subplot(1, 1, 1, {projection = "3d"})
    ax:scatter({-1, 1}, {0, 0}, {0, 0}, {c = {0, 1}, cmap = "RdBu", s = 900})   -- x=-1 red, x=+1 blue
    ax:set_xlim(-2, 2); ax:set_ylim(-2, 2); ax:set_zlim(-2, 2)
    ax:view_init(0, azim)
    return fig, ax
  end
  -- looking from +x (azim 0), the point at x=+1 is nearer: blue on top
  local fig = draw2(0)
  local cv = fig:render()
  local r, g, b = cv:pixel(150, 150)
  T.ok(b > r, ("azim 0: the near (blue) point covers the far one (got %d,%d,%d)"):format(r, g, b))
  fig = draw2(180)
  cv = fig:render()
  r, g, b = cv:pixel(150, 150)
  T.ok(r > b, ("azim 180: the near (red) point covers the far one (got %d,%d,%d)"):format(r, g, b))
  T.err("z coordinates are required", function ()
    local f = plt.figure(); local ax = f:add_subplot(1, 1, 1, {projection = "3d"}); ax:scatter({1}, {2}, {s = 3})
  end)
  plt.close("all")
end
-- =====}

-- {===== ternary
do
  local x, y = plt.ternary_coords({1, 0, 0, 1}, {0, 1, 0, 1}, {0, 0, 1, 1})
  local xs, ys = core.tolist(x), core.tolist(y)
  T.close(xs, {0, 1, 0.5, 0.5}, 1e-12)
  T.close(ys, {0, 0, math.sqrt(3) / 2, math.sqrt(3) / 6}, 1e-12)
  T.err("a, b and c must have the same length", plt.ternary_coords, {1, 2}, {1}, {1})
  local fig, ax = plt.ternary({0.2, 0.5}, {0.3, 0.2}, {0.5, 0.3}, {labels = {"L", "P", "S"}})
  T.ok(ax.aspect == "equal" and not ax.axis_on, "ternary axes are bare and equal")
  fig:render()
  plt.close("all")
end
-- =====}

-- {===== confusion matrix
do
  local fig, ax = plt.confusion_matrix({{8, 2}, {1, 9}}, {labels = {"a", "b"}, normalize = "true", values_format = ".2f"})
  local texts = {}
  for _, a in ipairs(ax.artists) do if a.kind == "text" then texts[#texts + 1] = a.s end end
  T.eq(texts, {"0.80", "0.20", "0.10", "0.90"}, "row-normalised values")
  T.eq(ax.xlabel, "Predicted label"); T.eq(ax.ylabel, "True label")
  local f2, a2 = plt.confusion_matrix({{3, 1}, {0, 4}})
  texts = {}
  for _, a in ipairs(a2.artists) do if a.kind == "text" then texts[#texts + 1] = a.s end end
  T.eq(texts, {"3", "1", "0", "4"}, "counts")
  T.err("cm must be a square", plt.confusion_matrix, {{1, 2, 3}, {4, 5, 6}})
  T.err("normalize must be 'true', 'pred' or 'all'", plt.confusion_matrix, {{1}}, {normalize = "rows"})
  fig:render(); f2:render()
  plt.close("all")
end
-- =====}

-- {===== scatter matrix, waveforms, image grid
do
  local fig, axs = plt.scatter_matrix({{"a", {1, 2, 3, 4}}, {"b", {2, 1, 4, 3}}, {"c", {0, 1, 0, 1}}})
  T.eq(#axs, 3); T.eq(#axs[1], 3)
  T.eq(axs[3][1].xlabel, "a"); T.eq(axs[2][1].ylabel, "b")
  T.eq(axs[2][2].artists[1].kind, "bars", "histogram on the diagonal")
  T.eq(axs[1][2].artists[1].kind, "scatter")
  fig:render()
  local f2, rows = plt.waveforms({{1, 2, 1}, {0, 1, 0}}, {dt = 0.5, labels = {"Z", "N"}})
  T.eq(#rows, 2)
  T.ok(rows[2].share_x == rows[1], "one shared time axis")
  local l = rows[1]:get_xlim()
  T.ok(l < 0 and select(2, rows[1]:get_xlim()) > 1, "time runs 0 .. 1 s")
  f2:render()
  local imgs = {}
  for k = 1, 7 do imgs[k] = {{k, 0}, {0, k}} end
  local f3, g = plt.image_grid(imgs, {ncols = 4, titles = {"one"}})
  T.eq(#g, 2); T.eq(#g[1], 4)
  T.eq(g[1][1].title, "one")
  f3:render()
  plt.close("all")
end
-- =====}

-- {===== frames: a datetime column gives a date axis, columns plot directly
if pd and pd.read_csv then
  local p = T.tmp("plot_dates.csv")
  local f = io.open(p, "w")
  f:write("time,value\n")
  for h = 0, 71 do f:write(("2019-09-%02d %02d:00,%d\n"):format(26 + h // 24, h % 24, h % 5)) end
  f:close()
  local df = pd.read_csv(p, {parse_dates = {"time"}})
  local fig, ax = plt.subplots()
  ax:plot(df.time, df.value)
  fig:render()
  T.ok(ax.xdate, "a datetime column makes a date axis")
  T.eq(ax._tx[2][1], "09-26 00", "date tick labels")
  local d2 = df:set_index("time")
  local f2, a2 = plt.subplots()
  a2:scatter(d2.index, d2.value, {c = d2.value})
  f2:render()
  T.ok(a2.xdate, "a datetime index makes a date axis")
  -- pandas' form lives in frame (diagonal="kde", returns the grid of axes as pandas does)
  local grid = pd.plotting.scatter_matrix(pd.DataFrame { a = { 1.0, 2.0, 4.0 }, b = { 2.0, 1.0, 3.0 } })
  T.ok(#grid == 2 and #grid[1] == 2, "pd.plotting.scatter_matrix")
  plt.close("all")
end
-- =====}

-- plt.ternary on an axes made with projection="ternary" replaces the corner labels
do
  local fig, ax = plt.subplots(1, 1, {projection = "ternary"})
  plt.ternary({0.2}, {0.3}, {0.5}, {ax = ax, labels = {"1D", "2D", "3D"}})
  local texts = {}
  for _, a in ipairs(ax.artists) do if a.kind == "text" and #a.s <= 2 and a.s:match("^%u") or (a.kind == "text" and a.s:match("D$")) then texts[#texts + 1] = a.s end end
  table.sort(texts)
  T.eq(texts, {"1D", "2D", "3D"}, "ternary corner labels replaced, not added")
end

T.done()
