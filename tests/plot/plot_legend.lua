-- plot_legend.lua: legends for data coloured by class: scatter's
-- legend_elements (matplotlib's PathCollection.legend_elements) with
-- ax:legend(handles, labels).
local T = require "testlib"

local fig = plt.figure {figsize = {2, 2}, dpi = 100}
local ax = fig:add_axes {0, 0, 1, 1}
local sc = ax:scatter({1, 2, 3, 4}, {1, 2, 3, 4}, {c = {3, 1, 2, 1}, cmap = "viridis"})
local h, l = sc:legend_elements()
T.eq(l, {"1", "2", "3"}, "one label per distinct value, sorted")
T.eq(#h, 3, "one handle per value")
-- matplotlib's viridis(0) and viridis(1.0), the ends of its lookup table
T.close(h[1].color, {0.267004, 0.004874, 0.329415, 1.0}, 1e-12, 0, "handle 1 has the colour of the lowest value")
T.close(h[3].color, {0.993248, 0.906157, 0.143936, 1.0}, 1e-12, 0, "handle 3 the highest")
local _, l2 = sc:legend_elements {fmt = "class %.1f"}
T.eq(l2[2], "class 2.0", "fmt= formats the labels")
ax:legend(h, l, {title = "class", loc = "upper left"})
T.eq(#ax.legend_opts.handles, 3, "legend(handles, labels) keeps the handles")
local cv = fig:render()
-- the legend's first marker (viridis(0), dark purple) sits near the top-left corner
local found = false
for y = 5, 60 do for x = 5, 60 do
  local r, g, b = cv:pixel(x, y)
  if math.abs(r - 68) < 20 and g < 30 and math.abs(b - 84) < 20 then found = true end
end end
T.ok(found, "the legend draws the class markers")
T.err("legend_elements: only a scatter coloured by values (c=) has legend elements",
      function () ax:scatter({1}, {1}):legend_elements() end)
local many = {}
for i = 1, 50 do many[i] = i end
local sc2 = ax:scatter(many, many, {c = many})
local _, l3 = sc2:legend_elements {num = 5}
T.ok(#l3 <= 7 and #l3 >= 3, "many values: about num nice levels (" .. #l3 .. ")")
plt.close("all")
T.done()
