-- frame_plot.lua: df:plot / s:plot / df.plot.KIND / pd.plotting.scatter_matrix
-- draw through plt: the axes hold the data pandas would draw, and each kind
-- matches its committed reference image (tests/fixtures/frame/plots/).
local T = require "testlib"
local REF = "tests/fixtures/frame/plots/"
local regen = os.getenv("GEOLAB_REGEN_PLOTS")

local df = pd.DataFrame({ t = { 1, 2, 3, 4, 5, 6 }, a = { 1.0, 3.0, 2.0, 5.0, 4.0, 6.0 },
  b = { 2.0, 2.5, 2.0, 1.0, 0.5, 1.5 }, site = { "A", "B", "C", "D", "E", "F" } }, { columns = { "t", "a", "b", "site" } })

local function lines(ax)
  local t = {}
  for _, a in ipairs(ax.artists) do if a.kind == "line" then t[#t + 1] = a end end
  return t
end

-- line: one line per numeric column, index (or x=) on x, data as given
local ax = df:plot()
local ls = lines(ax)
T.eq(#ls, 3)
T.eq(ls[2].y:totable(), { 1.0, 3.0, 2.0, 5.0, 4.0, 6.0 })
T.eq(ls[2].label, "a")
ax = df:plot { x = "t", y = { "a", "b" }, style = { "o-", "s--" }, title = "two", logy = true }
ls = lines(ax)
T.eq(#ls, 2); T.eq(ls[1].x:totable(), { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 }); T.eq(ls[2].marker, "s")
T.eq(ax.yscale, "log")
local axs = df:plot { y = { "a", "b" }, subplots = true, figsize = { 6, 5 } }
T.eq(#axs, 2); T.eq(lines(axs[2])[1].y:totable(), { 2.0, 2.5, 2.0, 1.0, 0.5, 1.5 })
ax = df.a:plot { style = "r.", label = "series a" }
T.eq(lines(ax)[1].label, "series a")
T.err("DataFrame.plot: unknown option 'titel' (did you mean 'title'?)", function() df:plot { titel = "x" } end)
T.err("DataFrame.plot: unknown kind 'bars' (did you mean 'bar'?)", function() df:plot { kind = "bars" } end)
T.err("DataFrame.plot: column 'site' is not numeric", function() df:plot { y = "site" } end)
T.err("kind='scatter' needs x= and y=", function() df.plot.scatter { x = "a" } end)

-- the kinds through the accessor, each against its reference image
local function check(name, ax_)
  local fig = (ax_[1] or ax_).fig
  local out = T.tmp("frame_plot_" .. name .. ".png")
  fig:savefig(out, { dpi = 50 })
  if regen then fig:savefig(REF .. name .. ".png", { dpi = 50 }) end
  local got, want = plt.imread(out), plt.imread(REF .. name .. ".png")
  T.eq(got.shape, want.shape, name .. " image size")
  -- a loose comparison: text rendering may move a pixel, the drawing may not
  if got.size == want.size then
    T.ok((got - want):abs():mean() < 0.01, name .. " image matches the reference")
  end
  plt.close(fig)
end
check("line", df:plot { x = "t", title = "line" })
check("bar", df.plot.bar { x = "site", y = { "a", "b" } })
check("barh", df.plot.barh { x = "site", y = "a", stacked = true })
check("hist", df.plot.hist { y = { "a", "b" }, bins = 5 })
check("scatter", df.plot.scatter { x = "a", y = "b", c = "t" })
check("box", df.plot.box { y = { "a", "b" } })
check("kde", df.plot.kde { y = { "a", "b" } })
check("subplots", df:plot { y = { "a", "b" }, subplots = true, title = "sub" })
local m = pd.plotting.scatter_matrix(df[{ "a", "b", "t" }], { diagonal = "kde" })
T.eq(#m, 3); T.eq(#m[1], 3)
check("scatter_matrix", m[1][1])

-- bar data: positions 0..n-1 with the labels as ticks (pandas)
ax = df.plot.bar { x = "site", y = "a" }
local bars = {}
for _, a in ipairs(ax.artists) do if a.kind == "bar" or a.kind == "rect" or a.kind == "bars" then bars[#bars + 1] = a end end
T.ok(#bars >= 1, "bars drawn")
-- kde: scipy's gaussian_kde with Scott's factor (1.5.3 default grid of 1000 points)
local P = require "geolab.frame_plot"
local xs, ys = P.kde(np.array { 1.0, 3.0, 2.0, 5.0, 4.0, 6.0 })
T.eq(#xs, 1000)
T.close(ys[500], 0.16355365710466957, 1e-9)   -- scipy.stats.gaussian_kde([1,3,2,5,4,6])(xs[499])
T.done()
