-- plot_atomic.lua: a failed plt call leaves the axes as they were (issue 10:
-- validate before mutating), and keyword forms of the limits.
local T = require "testlib"

-- The parts of an axes a plotting call may change.
local function state (ax)
  -- unset fields are probed with rawget: axes are strict for user code
  local function f (k) return rawget(ax, k) end
  local t = {#ax.artists, f("cycle_lines"), f("cycle_patches"), f("xscale"), f("yscale"), f("xdate") and 1 or 0,
             ax._xticks and #ax._xticks or -1, ax._yticks and #ax._yticks or -1, f("title") or "", f("show_grid") and 1 or 0}
  return table.concat(t, "|")
end

local fig, ax = plt.subplots()
ax:plot({1, 2}, {1, 2})
local calls = {
  {"plot with mismatched pairs", function () ax:plot({1, 2}, {1, 2}, {1, 2, 3}, {1}) end},
  {"plot with a bad colour", function () ax:plot({1, 2}, {1, 2}, {color = "nocolour"}) end},
  {"bar with categories and too few heights", function () ax:bar({"a", "b", "c"}, {1, 2}) end},
  {"barh with a bad option", function () ax:barh({"a"}, {1}, {colour = "r"}) end},
  {"scatter with strings", function () ax:scatter("a", "b") end},
  {"loglog with mismatched data", function () ax:loglog({1, 2}, {1}) end},
  {"step with a bad where", function () ax:step({1, 2}, {1, 2}, {where = "up"}) end},
  {"fill_between with a bad length", function () ax:fill_between({1, 2}, {1, 2, 3}) end},
  {"fill with odd arguments", function () ax:fill({1, 2, 3}) end},
  {"boxplot with bad labels", function () ax:boxplot({{1, 2}, {3, 4}}, {labels = {"a"}}) end},
  {"violinplot with one value", function () ax:violinplot({{1}}) end},
  {"axline without xy2 or slope", function () ax:axline({0, 0}) end},
  {"matshow of 3-D data", function () ax:matshow(np.zeros({2, 2, 2})) end},
  {"tripcolor with a bad C", function () ax:tripcolor({0, 1, 0}, {0, 0, 1}, {1, 2}) end},
  {"set with a bad scale", function () ax:set {title = "x", xscale = "logg"} end},
  {"grid with a bad axis", function () ax:grid {axis = "z"} end},
  {"legend with a bad loc", function () ax:legend {loc = "top"} end},
  {"annotate without xy", function () ax:annotate("s") end},
  {"add_patch of a non-patch", function () ax:add_patch({}) end},
  {"set_xlim with a string", function () ax:set_xlim("a", "b") end},
}
for _, c in ipairs(calls) do
  local before = state(ax)
  local ok, err = pcall(c[2])
  T.ok(not ok, c[1] .. " fails")
  T.ok(type(err) == "string" and not err:find("attempt to", 1, true) and not err:find("bad argument", 1, true),
       c[1] .. " gives a named error: " .. tostring(err))
  T.eq(state(ax), before, c[1] .. " leaves the axes unchanged")
end

-- set_xlim / set_ylim keywords
ax:set_xlim {left = 1, right = 4}
T.eq({ax:get_xlim()}, {1, 4}, "set_xlim{left=, right=}")
ax:set_ylim {top = 9}
local _, top = ax:get_ylim()
T.eq(top, 9, "set_ylim{top=} keeps the bottom")
T.err("set_xlim: unknown option 'bottom'", function () ax:set_xlim {bottom = 1} end)
plt.close("all")
T.done()
