-- plot_ticks.lua: tick locations and labels against matplotlib's choices
-- (fixtures from tests/fixtures/plot/gen_ticks.py) and math-text parsing.
local T = require "testlib"
local ticks = plt._ticks
local F = dofile("tests/fixtures/plot/ticks.lua")

local function same (a, b, tol)
  if #a ~= #b then return false end
  for i = 1, #a do
    if math.abs(a[i] - b[i]) > (tol or 1e-9) * math.max(1, math.abs(b[i])) then return false end
  end
  return true
end

-- linear axes: AutoLocator + ScalarFormatter
local nlin = 0
for _, c in ipairs(F.linear) do
  local nb = ticks.nbins(c.len, true, 10)
  T.eq(nb, c.nbins, ("nbins for axis length %g"):format(c.len))
  local got = ticks.inside(ticks.linear_ticks(c.lim[1], c.lim[2], nb), c.lim[1], c.lim[2])
  T.ok(same(got, c.ticks), ("ticks for [%g, %g] nbins %d: got %s, expected %s"):format(
    c.lim[1], c.lim[2], nb, T.show(got), T.show(c.ticks)))
  local labels, offset = ticks.scalar_labels(got, c.lim[1], c.lim[2])
  local lab = {}
  for i, l in ipairs(labels) do lab[i] = l end
  T.eq(lab, c.labels, ("labels for [%g, %g]"):format(c.lim[1], c.lim[2]))
  if c.offset ~= "" then T.ok(offset ~= "", ("offset text for [%g, %g]"):format(c.lim[1], c.lim[2])) end
  nlin = nlin + 1
end
T.ok(nlin >= 57, "linear fixture set")

-- log axes: decades and minor ticks
for _, c in ipairs(F.log) do
  local majors, minors = ticks.log_ticks(c.lim[1], c.lim[2], c.numticks)
  local got = ticks.inside(majors, c.lim[1], c.lim[2])
  T.ok(same(got, c.ticks, 1e-9), ("log ticks for [%g, %g] numticks %d: got %s, expected %s"):format(
    c.lim[1], c.lim[2], c.numticks, T.show(got), T.show(c.ticks)))
  local gm = ticks.inside(minors, c.lim[1], c.lim[2])
  T.ok(same(gm, c.minor, 1e-9), ("log minor ticks for [%g, %g]: got %d, expected %d"):format(c.lim[1], c.lim[2], #gm, #c.minor))
end

-- date axes: AutoDateLocator / AutoDateFormatter
for _, c in ipairs(F.dates) do
  local got, fmt = ticks.date_ticks(c.lim[1], c.lim[2])
  T.ok(same(got, c.ticks, 1e-12), ("date ticks for %s: got %s, expected %s"):format(
    ticks.strftime("%Y-%m-%d %H:%M", c.lim[1]), T.show(got), T.show(c.ticks)))
  local labels = {}
  for i, v in ipairs(got) do labels[i] = ticks.strftime(fmt, v) end
  T.eq(labels, c.labels, "date labels")
end

-- math text: superscripts, subscripts, Greek
local r = ticks.runs("$10^{3}$")
T.eq(#r, 2, "10^3 has two runs")
T.eq(r[1].text, "10"); T.eq(r[2].text, "3"); T.ok(r[2].rise > 0 and r[2].scale < 1)
r = ticks.runs("$\\sigma_x$ (µm²)")
T.eq(r[1].text, "σ"); T.ok(r[2].rise < 0, "subscript lowered")
T.eq(r[3].text, " (µm²)")
T.eq(ticks.runs("plain °C"), "plain °C")
r = ticks.runs("$\\alpha\\beta\\Delta$")
T.eq(r[1].text, "αβΔ")

T.done()
