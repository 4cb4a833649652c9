-- plot_kinds.lua: plot kinds and settings added for issue 10, checked
-- against matplotlib 3.6 (tests/fixtures/plot/gen_stats.py) where numbers
-- come out, and by pixels where only the picture does.
local T = require "testlib"
local core = plt._core
local F = dofile("tests/fixtures/plot/stats.lua")

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
local RED, BLUE, WHITE = {255, 0, 0}, {0, 0, 255}, {255, 255, 255}
local function xy (line) return core.tolist(line.x), core.tolist(line.y) end

-- {===== boxplot: matplotlib's numbers
do
  local fig, ax = plt.subplots()
  local bp = ax:boxplot({F.a, F.b, F.c})
  for _, k in ipairs {"whiskers", "caps", "medians", "boxes"} do
    for i, ref in ipairs(F.box[k]) do
      local x, y = xy(bp[k][i])
      T.close(x, ref.x, 1e-12, 1e-12, ("boxplot %s[%d] x"):format(k, i))
      T.close(y, ref.y, 1e-12, 1e-12, ("boxplot %s[%d] y"):format(k, i))
    end
  end
  for i, ref in ipairs(F.box.fliers) do
    local x, y = xy(bp.fliers[i])
    T.close(y, ref.y, 1e-12, 0, ("boxplot fliers[%d]"):format(i))
    T.eq(#x, #ref.x, ("boxplot fliers[%d] count"):format(i))
  end
  T.close({ax:get_ylim()}, F.box.ylim, 1e-12, 1e-12, "boxplot ylim as matplotlib")
  T.close({ax:get_xlim()}, F.box.xlim, 1e-12, 1e-12, "boxplot xlim: positions padded by 0.5, as matplotlib")
  local fig2, ax2 = plt.subplots()
  local h = ax2:boxplot({F.a, F.b}, {whis = {5, 95}, vert = false})
  for i, ref in ipairs(F.box_h.whiskers) do
    local x, y = xy(h.whiskers[i])
    T.close(x, ref.x, 1e-12, 1e-12, ("boxplot whis=(5,95) vert=false whisker %d x"):format(i))
    T.close(y, ref.y, 1e-12, 1e-12, ("boxplot whis=(5,95) vert=false whisker %d y"):format(i))
  end
  T.err("boxplot: labels has 1 entries for 3 datasets", function () ax:boxplot({F.a, F.b, F.c}, {labels = {"a"}}) end)
  T.err("boxplot: unknown option 'whisker'", function () ax:boxplot(F.a, {whisker = 2}) end)
  local n = #ax.artists
  T.err("boxplot: whis must be", function () ax:boxplot(F.a, {whis = "x"}) end)
  T.eq(#ax.artists, n, "a failed boxplot adds nothing")
  plt.close("all")
end
-- =====}

-- {===== violinplot: mlab.GaussianKDE as matplotlib
do
  local fig, ax = plt.subplots()
  local vp = ax:violinplot({F.a, F.b}, {showmeans = true, showmedians = true, points = 50})
  for i, ref in ipairs(F.violin.bodies) do
    local body = vp.bodies[i]
    local xs, ys = {}, {}
    for k = 1, 100 do xs[k], ys[k] = ref[k][1], ref[k][2] end
    local gx, gy = {}, {}
    for k = 1, 100 do gx[k], gy[k] = body.x[k], body.y[k] end
    T.close(gx, xs, 1e-9, 1e-12, ("violin body %d x (KDE widths)"):format(i))
    T.close(gy, ys, 1e-12, 1e-12, ("violin body %d y"):format(i))
  end
  for i = 1, 2 do
    local _, y = xy(vp.cmeans[i]); T.close(y[1], F.violin.cmeans[i], 1e-12, 0, "violin mean " .. i)
    local _, m = xy(vp.cmedians[i]); T.close(m[1], F.violin.cmedians[i], 1e-12, 0, "violin median " .. i)
  end
  local fig2, ax2 = plt.subplots()
  local v2 = ax2:violinplot({F.c}, {bw_method = "silverman", points = 30})
  local gx, rx = {}, {}
  for k = 1, 30 do gx[k], rx[k] = v2.bodies[1].x[k], F.violin_silverman[k][1] end
  T.close(gx, rx, 1e-9, 1e-12, "violin bw_method='silverman'")
  T.err("violinplot: bw_method must be", function () ax:violinplot(F.a, {bw_method = "scot"}) end)
  plt.close("all")
end
-- =====}

-- {===== step, fill_between, plot of 2-D data
do
  local fig, ax = canvas_fig()
  ax:step({1, 5, 9}, {2, 6, 8}, {where = "post", color = "red", lw = 4})
  local cv = fig:render()
  -- post: y=2 from x=1 to 5, then 6 from 5 to 9
  T.ok(near(rgb(cv, 60, 160), RED, 30), "step post: first level until the next x")
  T.ok(near(rgb(cv, 140, 80), RED, 30), "step post: second level")
  T.ok(near(rgb(cv, 60, 80), WHITE), "step post: nothing above the first level")
  local fig2, ax2 = canvas_fig()
  ax2:step({1, 5, 9}, {2, 6, 8}, {color = "red", lw = 4})   -- pre
  cv = fig2:render()
  T.ok(near(rgb(cv, 60, 80), RED, 30), "step pre: the level of the next point")
  T.err("step: where must be 'pre', 'post' or 'mid' (got 'before')", function () ax:step({1}, {1}, {where = "before"}) end)
  T.err("plot: drawstyle must be", function () ax:plot({1}, {1}, {drawstyle = "stairs"}) end)
end
do
  local fig, ax = canvas_fig()
  ax:fill_between({0, 5, 10}, 2, 4, {color = "blue"})                    -- scalar bounds
  ax:fill_between({0, 5, 10}, {6, 6, 6}, {color = "red", where = {false, true, true}})
  local cv = fig:render()
  T.ok(near(rgb(cv, 60, 140), BLUE), "fill_between with scalar y1 and y2")
  T.ok(near(rgb(cv, 150, 100), RED) and near(rgb(cv, 50, 100), WHITE), "where= keeps the true run")
  local f2, a2 = canvas_fig()
  a2:fill_between({0, 10}, {0, 10}, {10, 0}, {where = {true, false}, interpolate = true, color = "red"})
  cv = f2:render()
  T.ok(near(rgb(cv, 20, 100), RED) and near(rgb(cv, 160, 100), WHITE), "interpolate= stops at the crossing")
  T.err("fill_between: x and y1 must have the same length (2 and 3)", function () a2:fill_between({0, 1}, {1, 2, 3}) end)
end
do
  local fig, ax = plt.subplots()
  local y = np.array {{1, 10}, {2, 20}, {3, 30}}
  local l1, l2 = ax:plot(y, {label = {"a", "b"}})
  T.eq({l1.label, l2.label}, {"a", "b"}, "2-D y: one line per column, labels from a list")
  T.eq(core.tolist(l2.y), {10, 20, 30}, "2-D y: column 2")
  T.eq(core.tolist(l2.x), {0, 1, 2}, "2-D y: x counts from 0")
  T.ok(l1.color[1] ~= l2.color[1], "2-D y: colours from the cycle")
  local l3, l4 = ax:plot(np.array {{0, 5}, {1, 6}, {2, 7}}, y)
  T.eq(core.tolist(l4.x), {5, 6, 7}, "2-D x pairs with 2-D y column by column")
  local n = #ax.artists
  T.err("plot: x and y must have same first dimension", function () ax:plot({1, 2}, {1, 2}, {1, 2, 3}, {1, 2}) end)
  T.eq(#ax.artists, n, "a failed plot adds no line")
  plt.close("all")
end
-- =====}

-- {===== patches, fill, axline
do
  local fig, ax = canvas_fig()
  ax:add_patch(plt.Rectangle({1, 1}, 3, 2, {color = "red"}))
  ax:add_patch(plt.Circle({7, 7}, 1.5, {facecolor = "blue"}))
  ax:add_patch(plt.Polygon({{1, 6}, {4, 6}, {1, 9}}, {fill = false, edgecolor = "red", lw = 3}))
  local cv = fig:render()
  T.ok(near(rgb(cv, 50, 160), RED), "Rectangle fills (1..4, 1..3)")
  T.ok(near(rgb(cv, 140, 60), BLUE), "Circle at (7, 7)")
  T.ok(near(rgb(cv, 40, 60), WHITE), "unfilled Polygon is empty inside")
  T.ok(near(rgb(cv, 20, 80), RED, 40), "unfilled Polygon's edge")
  T.err("add_patch: argument #1 must be a patch", function () ax:add_patch({1, 2}) end)
  T.err("plt.Polygon: xy must be an N x 2 array", function () plt.Polygon(np.array {1, 2, 3}) end)
  T.err("plt.Circle: xy must be a pair", function () plt.Circle(1, 2) end)
  local f2, a2 = plt.subplots()
  a2:add_patch(plt.Rectangle({2, 3}, 4, 5))
  local lo, hi = a2:get_xlim()
  T.close({lo, hi}, {1.8, 6.2}, 1e-12, 0, "add_patch updates the data limits")
  local ps = a2:fill({0, 1, 1}, {0, 0, 1}, "r", {0, 1, 0}, {0, 1, 1})
  T.eq(#ps, 2, "fill: one polygon per x, y pair")
  T.eq(ps[1].fill, {1, 0, 0, 1}, "fill colour from the format")
  plt.close("all")
end
do
  local fig, ax = canvas_fig()
  ax:axline({0, 0}, {1, 1}, {color = "red", lw = 3})
  ax:axline({0, 8}, {slope = 0, color = "blue", lw = 3})
  local cv = fig:render()
  T.ok(near(rgb(cv, 100, 100), RED, 40) and near(rgb(cv, 190, 10), RED, 60), "axline through (0,0), (1,1) crosses the axes")
  T.ok(near(rgb(cv, 100, 40), BLUE, 40), "axline with slope 0 at y=8")
  T.close({ax:get_xlim()}, {0, 10}, 0, 0, "axline does not change the limits")
  T.err("axline: give exactly one of xy2 and slope", function () ax:axline({0, 0}) end)
  ax:set_yscale("log")
  T.err("axline: 'slope' cannot be used with non-linear scales", function () ax:axline({1, 1}, {slope = 1}) end)
end
-- =====}

-- {===== set, grid, legend, cla, clf, subplots keywords
do
  local fig, ax = plt.subplots()
  ax:set {xlabel = "x (m)", ylabel = "y", title = "t", xlim = {0, 5}, yscale = "log", ylim = {1, 100}, xticks = {0, 2, 4}}
  T.eq({ax.xlabel, ax.ylabel, ax.title, ax.yscale}, {"x (m)", "y", "t", "log"}, "ax:set applies every key")
  T.eq({ax:get_xlim()}, {0, 5}, "ax:set xlim")
  T.eq({ax:get_ylim()}, {1, 100}, "ax:set ylim after yscale")
  T.err("set: unknown property 'xlable' (did you mean 'xlabel'?)", function () ax:set {xlable = "x"} end)
  T.err("set: set_yscale: unknown scale 'logg'", function () ax:set {title = "new", yscale = "logg"} end)
  T.eq(ax.title, "t", "a failed set leaves the axes as they were")
  ax:grid {axis = "y", color = "red", linestyle = "--", alpha = 0.5}
  T.ok(ax.show_grid and ax.grid_opts.axis == "y", "grid{axis='y'} turns the y grid on")
  T.err("grid: axis must be 'both', 'x' or 'y' (got 'z')", function () ax:grid {axis = "z"} end)
  T.err("grid: which must be", function () ax:grid(true, {which = "all"}) end)
  T.err("legend: unknown location 'uper right' (did you mean 'upper right'?)", function () ax:legend {loc = "uper right"} end)
  T.err("legend: markerscale must be a positive number", function () ax:legend {markerscale = 0} end)
  ax:plot({1, 2}, {1, 2}, {label = "l"})
  ax:legend {markerscale = 2, ncol = 2, frameon = false, fontsize = "small", title = "T", loc = 2}
  T.eq({ax.legend_opts.loc, ax.legend_opts.ncol, ax.legend_opts.fontsize}, {"upper left", 2, 10 * 0.833}, "legend options")
  ax:cla()
  T.eq({#ax.artists, rawget(ax, "title"), ax.yscale, rawget(ax, "legend_opts")}, {0, nil, "linear", nil},
       "cla clears artists, labels, scales")   -- unset fields probed with rawget (axes are strict)
  T.ok(ax.fig == fig, "cla keeps the figure")
  fig:clf()
  T.eq(#fig.axes, 0, "clf removes the axes")
  local axs = fig:subplots(2, 3, {sharex = true})
  T.eq({#axs, #axs[1]}, {2, 3}, "fig:subplots(2, 3)")
  local f2, a2 = plt.subplots {nrows = 1, ncols = 2, figsize = {8, 3}, sharey = true}
  T.eq({#a2, f2.figsize[1]}, {2, 8}, "plt.subplots{nrows=, ncols=, figsize=}")
  T.ok(a2[2].share_y == a2[1], "plt.subplots{sharey=true}")
  T.err("plt.subplots: sharex must be", function () plt.subplots {sharex = "rows"} end)
  T.err("plt.subplots: unknown option 'ncol' (did you mean 'ncols'?)", function () plt.subplots {ncol = 2} end)
  local ax3 = plt.axes {projection = "3d"}
  T.ok(ax3.is3d, "plt.axes{projection='3d'}")
  local ax4 = plt.figure():add_subplot {projection = "3d"}
  T.ok(ax4.is3d, "fig:add_subplot{projection='3d'}")
  plt.close("all")
end
-- =====}

-- {===== colours, styles, rcParams
do
  T.eq(plt.to_rgba("C1"), plt.to_rgba("#ff7f0e"), "'C1' is tab:orange")
  T.eq(plt.to_rgba("C10"), plt.to_rgba("C0"), "'CN' wraps around the cycle")
  plt.style.use("ggplot")
  T.eq(plt.to_rgba("C0"), plt.to_rgba("#E24A33"), "ggplot's cycle")
  local fig, ax = plt.subplots()
  T.ok(ax.show_grid, "ggplot: axes.grid")
  T.eq(ax.facecolor, plt.to_rgba("#E5E5E5"), "ggplot: axes facecolor")
  local l = ax:plot({1, 2}, {1, 2})
  T.eq(l.color, plt.to_rgba("#E24A33"), "ggplot: first line colour")
  plt.style.use("default")
  T.eq(plt.to_rgba("C0"), plt.to_rgba("#1f77b4"), "default style restores tab10")
  T.ok(not plt.subplots().axes[1].show_grid, "default: no grid")
  for _, name in ipairs {"seaborn-v0_8", "bmh", "classic", "dark_background"} do
    plt.style.use(name)
    local f = plt.subplots()
    local path = T.tmp("style_" .. name .. ".png")
    T.eq(f:savefig(path), path, name .. ": savefig")
    plt.style.use("default")
  end
  plt.style.use("dark_background")
  local f = plt.figure()
  T.eq(f.facecolor, {0, 0, 0, 1}, "dark_background: black figure")
  plt.style.use("default")
  T.eq(f.facecolor, {0, 0, 0, 1}, "a figure keeps the settings it was made with")
  T.err("plt.style.use: unknown style 'seaborn' (matplotlib 3.6 renamed it 'seaborn-v0_8'); available: bmh, classic, dark_background, default, ggplot, seaborn-v0_8",
        plt.style.use, "seaborn")
  T.err("did you mean 'ggplot'", plt.style.use, "ggplott")
  plt.rcParams["figure.figsize"] = {3, 2}
  plt.rcParams["lines.linewidth"] = 3
  plt.rcParams["axes.grid"] = true
  local f2, a2 = plt.subplots()
  T.eq(f2.figsize, {3, 2}, "rcParams figure.figsize")
  T.eq(a2:plot({1}, {1}).lw, 3, "rcParams lines.linewidth")
  T.ok(a2.show_grid, "rcParams axes.grid")
  T.err("plt.rcParams: unknown key 'lines.linewdth' (did you mean 'lines.linewidth'?)", function () plt.rcParams["lines.linewdth"] = 2 end)
  T.err("plt.rcParams: unknown key 'font.sise'", function () return plt.rcParams["font.sise"] end)
  T.err("plt.rcParams: font.size must be a positive number", function () plt.rcParams["font.size"] = -1 end)
  T.err("plt.rcParams: axes.facecolor", function () plt.rcParams["axes.facecolor"] = "blu" end)
  T.eq(plt.rcParams["font.size"], 10, "rcParams read")
  plt.rcdefaults()
  T.eq(plt.rcParams["figure.figsize"], {6.4, 4.8}, "rcdefaults")
  plt.close("all")
end
-- =====}

-- {===== imread: matplotlib's shapes and values
do
  local fig, ax = plt.subplots {figsize = {1, 1}}
  ax:imshow({{{1, 0, 0}, {0, 0, 1}}}, {aspect = "auto"})
  local path = T.tmp("imread.png")
  fig:savefig(path, {dpi = 20})
  local im = plt.imread(path)
  T.eq({im.shape[1], im.shape[2], im.shape[3], im.dtype}, {20, 20, 3, "float32"}, "imread of an RGB PNG: (h, w, 3) float32")
  T.ok(im:max() <= 1 and im:min() >= 0, "values in [0, 1]")
  fig:savefig(path, {dpi = 20, transparent = true})
  T.eq(plt.imread(path).shape[3], 4, "a PNG with alpha: (h, w, 4)")
  T.err("plt.imread: only PNG files can be read (got 'x.jpg')", plt.imread, "x.jpg")
  T.err("plt.imread: cannot open 'no/such.png'", plt.imread, "no/such.png")
  -- found by the fuzz target lua_imread: a number as format raised "attempt to index"
  T.err("plt.imread: format must be a string such as 'png', got number", plt.imread, path, 1)
  -- a 69-byte file claiming 100000 x 100000 RGBA pixels is refused before
  -- 40 GB are allocated (tests/fuzz/regress/png; under ASan the allocation aborted)
  T.err("plt.imread: 'tests/fuzz/regress/png/claims_1e10_pixels' is not a valid PNG file", plt.imread,
    "tests/fuzz/regress/png/claims_1e10_pixels", "png")
  plt.close("all")
end
-- =====}

T.done()
