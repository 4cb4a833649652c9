-- plot_scatter_matrix.lua: pd.plotting.scatter_matrix and plt.scatter_matrix
-- draw pandas' diagonals (diagonal = "hist" | "kde", hist_kwds, density_kwds)
-- and limits (range_padding), against pandas 1.5.3 / matplotlib 3.6
-- (tests/fixtures/plot/gen_scatter_matrix.py).
local T = require "testlib"
local F = dofile("tests/fixtures/plot/scatter_matrix.lua")

local function first(ax, kind)
  for _, a in ipairs(ax.artists) do if a.kind == kind then return a end end
end
local function pick(arr, idx)
  local t, out = arr:totable(), {}
  for i, k in ipairs(idx) do out[i] = t[k] end
  return out
end
local function heights(ax)
  local out = {}
  for i, r in ipairs(first(ax, "bars").rects) do out[i] = r[4] end
  return out
end

local df = pd.DataFrame({a = F.a, b = F.b}, {columns = {"a", "b"}})
local axs = pd.plotting.scatter_matrix(df, {diagonal = "kde", density_kwds = {color = "red", lw = 2}})
local l = first(axs[1][1], "line")
T.close(pick(l.x, {1, 2, 500, 999, 1000}), F.kde_a_x, 1e-12, 0, "kde grid: 1000 points from min to max")
T.close(pick(l.y, {1, 2, 500, 999, 1000}), F.kde_a_y, 1e-12, 0, "kde of a (NaN left out)")
T.close(pick(first(axs[2][2], "line").y, {1, 251, 1000}), F.kde_b_y, 1e-12, 0, "kde of b")
T.close(l.color, F.kde_color, 0, 0, "density_kwds color"); T.eq(l.lw, F.kde_lw, "density_kwds lw")
T.close({axs[1][1]:get_xlim()}, F.xlim_a, 1e-12, 0, "x limits: range padded by range_padding / 2")
T.close({axs[2][1]:get_ylim()}, F.ylim_b, 1e-12, 0, "y limits of a scatter cell")
axs = pd.plotting.scatter_matrix(df, {hist_kwds = {bins = 4}, range_padding = 0.2})
T.eq(heights(axs[1][1]), F.hist_a, "hist_kwds bins")
T.eq(heights(axs[2][2]), F.hist_b, "hist_kwds bins")
T.close({axs[1][1]:get_xlim()}, F.xlim_a_pad, 1e-12, 0, "range_padding")

-- plt.scatter_matrix: the same diagonals on its own layout
local a = np.array{1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 2.5}
local fig, grid = plt.scatter_matrix({{"a", a}, {"b", np.array(F.b)[{{1, 7}}]}},
  {diagonal = "kde", density_kwds = {color = "red", lw = 2}})
l = first(grid[1][1], "line")
T.close(pick(l.y, {1, 2, 500, 999, 1000}), F.kde_a_y, 1e-12, 0, "plt.scatter_matrix kde")
T.close(l.color, F.kde_color, 0, 0, "plt.scatter_matrix density_kwds")
plt.close(fig)
fig, grid = plt.scatter_matrix({{"a", a}, {"b", a * 2}}, {hist_kwds = {bins = 4}})
T.eq(heights(grid[1][1]), F.hist_a, "plt.scatter_matrix hist_kwds")
plt.close(fig)

T.err("scatter_matrix: diagonal must be 'hist' or 'kde'", plt.scatter_matrix, {{"a", a}}, {diagonal = "density_plot"})
T.err("scatter_matrix: hist_kwds must be a table of options", plt.scatter_matrix, {{"a", a}}, {hist_kwds = 4})
T.err("hist: unknown option 'binz' (did you mean 'bins'?)", plt.scatter_matrix, {{"a", a}}, {hist_kwds = {binz = 4}})
T.err("pd.plotting.scatter_matrix: density_kwds must be a table of options", pd.plotting.scatter_matrix, df,
  {diagonal = "kde", density_kwds = "red"})
T.err("pd.plotting.scatter_matrix: ax= is not supported", pd.plotting.scatter_matrix, df, {ax = 1})
T.done()
