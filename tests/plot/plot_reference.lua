-- plot_reference.lua: a few small reference images compared with a tolerance
-- (so that a Cairo/FreeType update that moves antialiasing by a level does
-- not fail, while a misplaced mark, tick or label does). Regenerate with
-- GEOLAB_UPDATE_REFS=1 geolab tests/plot/plot_reference.lua after checking the
-- new pictures by eye.
local T = require "testlib"
local core = plt._core

local scenes = {
  lines = function ()
    local fig, ax = plt.subplots({figsize = {3.2, 2.4}, dpi = 75})
    local x, y = {}, {}
    for i = 1, 40 do x[i] = i / 4; y[i] = math.sin(i / 4) end
    ax:plot(x, y, "o-", {ms = 3, label = "sin"}); ax:set_title("lines"); ax:legend()
    return fig
  end,
  image = function ()
    local fig, ax = plt.subplots({figsize = {3.2, 2.4}, dpi = 75})
    local z = {}
    for i = 1, 12 do z[i] = {} for j = 1, 16 do z[i][j] = i * j end end
    fig:colorbar(ax:imshow(z, {cmap = "magma"}), {ax = ax})
    return fig
  end,
  bars = function ()
    local fig, ax = plt.subplots({figsize = {3.2, 2.4}, dpi = 75})
    ax:bar({"a", "b", "c"}, {3, 1, 2}); ax:set_yscale("log"); ax:set_ylabel("count")
    return fig
  end,
  -- issue 10's plot kinds; each picture was checked by eye against matplotlib's
  boxplot = function ()
    local fig, ax = plt.subplots({figsize = {3.2, 2.4}, dpi = 75})
    ax:boxplot({{1, 2, 3, 4, 5, 6, 7, 8, 20}, {2, 3, 3, 4, 4, 4, 5, 9}}, {labels = {"a", "b"}, showmeans = true})
    return fig
  end,
  violin = function ()
    local fig, ax = plt.subplots({figsize = {3.2, 2.4}, dpi = 75})
    ax:violinplot({{1, 2, 2, 3, 3, 3, 4, 6}, {0, 1, 1, 1, 2, 5}}, {showmedians = true, points = 40})
    return fig
  end,
  step_fill = function ()
    local fig, ax = plt.subplots({figsize = {3.2, 2.4}, dpi = 75})
    local x, y = {}, {}
    for i = 1, 12 do x[i] = i; y[i] = math.sin(i / 2) end
    ax:step(x, y, {where = "post"})
    ax:fill_between(x, 0, y, {where = plt._core.tolist(plt._core.asarray(y)), alpha = 0.3})
    ax:axline({0, 0}, {slope = 0.05, color = "k", ls = ":"})
    return fig
  end,
  patches = function ()
    local fig, ax = plt.subplots({figsize = {3.2, 2.4}, dpi = 75})
    ax:add_patch(plt.Rectangle({0, 0}, 2, 1, {angle = 20, color = "C1"}))
    ax:add_patch(plt.Circle({3, 2}, 1, {fill = false, lw = 2}))
    ax:add_patch(plt.Polygon({{0, 2}, {1, 3}, {2, 2}}, {facecolor = "C2", edgecolor = "k"}))
    ax:set_aspect("equal")
    return fig
  end,
  matshow = function ()
    local fig, ax = plt.subplots({figsize = {3.2, 2.4}, dpi = 75})
    local z = {}
    for i = 1, 4 do z[i] = {} for j = 1, 6 do z[i][j] = i * j end end
    ax:matshow(z)
    return fig
  end,
  triangulation = function ()
    local fig, ax = plt.subplots({figsize = {3.2, 2.4}, dpi = 75})
    local x = {0, 1, 2, 0.5, 1.5, 0, 1, 2, 0.3, 1.7}
    local y = {0, 0, 0, 0.8, 0.9, 1.6, 1.7, 1.5, 0.4, 0.3}
    local tri = plt.Triangulation(x, y)
    ax:tripcolor(tri, y, {cmap = "viridis"})
    ax:triplot(tri, "k-", {lw = 0.8})
    return fig
  end,
  style_ggplot = function ()
    plt.style.use("ggplot")
    local fig, ax = plt.subplots({figsize = {3.2, 2.4}, dpi = 75})
    plt.style.use("default")
    ax:plot({1, 2, 3}, {1, 3, 2}, {label = "a"}); ax:plot({1, 2, 3}, {2, 1, 3}, {label = "b"}); ax:legend()
    return fig
  end,
}

local update = os.getenv("GEOLAB_UPDATE_REFS") == "1"
local names = {}
for k in pairs(scenes) do names[#names + 1] = k end
table.sort(names)
for _, name in ipairs(names) do
  local ref = "tests/fixtures/plot/ref_" .. name .. ".png"
  local out = T.tmp("ref_" .. name .. ".png")
  scenes[name]():savefig(out)
  plt.close("all")
  if update then os.execute(("cp '%s' '%s'"):format(out, ref)) end
  local w1, h1, a = core.read_png(out)
  local w2, h2, b = core.read_png(ref)
  T.ok(w2 ~= nil, name .. ": reference image readable")
  if w2 then
    T.eq({w1, h1}, {w2, h2}, name .. ": size")
    local n, bad, sum = w1 * h1, 0, 0
    for i = 1, n * 4, 4 do
      local worst = 0
      for k = 0, 3 do
        local d = math.abs(a:byte(i + k) - b:byte(i + k))
        sum = sum + d
        if d > worst then worst = d end
      end
      if worst > 48 then bad = bad + 1 end
    end
    T.ok(bad / n < 0.005, ("%s: %.2f%% of pixels differ from the reference"):format(name, 100 * bad / n))
    T.ok(sum / (n * 4) < 1.5, ("%s: mean difference %.2f"):format(name, sum / (n * 4)))
  end
end
T.done()
