-- plot_tight.lua: fig:tight_layout{pad, h_pad, w_pad, rect} computes the
-- subplot parameters as matplotlib's tight_layout does, from the measured
-- extents of tick labels, axis labels and titles, against matplotlib 3.6
-- (tests/fixtures/plot/gen_tight.py).
local T = require "testlib"
local F = dofile("tests/fixtures/plot/tight.lua")

local function build(opts, sup)
  local fig, axs = plt.subplots(2, 2, {figsize = {6.4, 4.8}})
  for i = 1, 2 do for j = 1, 2 do
    local ax = axs[i][j]
    ax:plot({0, 1, 2, 3}, {0, 10, 200, 3000})
    ax:set_title(("title %d %d"):format(i, j)); ax:set_xlabel("x label"); ax:set_ylabel("y label")
  end end
  if sup then fig:suptitle("A suptitle") end
  fig:tight_layout(opts)
  fig:savefig(T.tmp("tight.png"))
  local pos = {}
  for i = 1, 2 do for j = 1, 2 do
    local b = axs[i][j].box
    pos[#pos + 1] = {b[1] / 640, 1 - b[4] / 480, (b[3] - b[1]) / 640, (b[4] - b[2]) / 480}
  end end
  local p = fig.subplotpars
  plt.close(fig)
  return {p.left, p.right, p.bottom, p.top, p.wspace, p.hspace}, pos
end

-- Text extents come from FreeType through Cairo here and from matplotlib's
-- Agg text layout there, and the title/label pads are placed a few pixels
-- differently (a title's box is ~5 px taller here): the measured decorations
-- agree to ~7 px (0.014 of a 480 px figure), so positions are compared to
-- 0.015; what follows from the formula alone
-- (the effect of pad, h_pad, w_pad and rect) is compared exactly below.
local got = {}
for _, c in ipairs(F) do
  local name, opts, sup, params, pos = c[1], c[2], c[3], c[4], c[5]
  local p, ps = build(opts, sup)
  got[name] = {p, ps}
  T.close({p[1], p[2], p[3], p[4]}, {params[1], params[2], params[3], params[4]}, 0, 0.015, name .. ": left, right, bottom, top")
  for k = 1, 4 do T.close(ps[k], pos[k], 0, 0.015, name .. ": axes " .. k .. " position") end
end
local ref = {}
for _, c in ipairs(F) do ref[c[1]] = {c[4], c[5]} end
-- pad: every outer margin grows by (pad - 1.08) font sizes
local dl = (3.0 - 1.08) * 10 / 72 / 6.4
T.close(got.pad3[1][1] - got.default[1][1], dl, 1e-9, 1e-12, "pad moves the left edge")
T.close(ref.pad3[1][1] - ref.default[1][1], dl, 1e-9, 1e-12, "(matplotlib agrees)")
T.close(got.default[1][2] - got.pad3[1][2], dl, 1e-9, 1e-12, "pad moves the right edge")
-- w_pad / h_pad: the gaps between axes change by (w_pad - pad) / (h_pad - pad) font sizes
local function gapx(ps) return ps[2][1] - (ps[1][1] + ps[1][3]) end
local function gapy(ps) return ps[3][2] + ps[3][4] - ps[1][2] end
T.close(gapx(got.hw[2]) - gapx(got.default[2]), (0.5 - 1.08) * 10 / 72 / 6.4, 1e-9, 1e-12, "w_pad")
T.close(gapx(ref.hw[2]) - gapx(ref.default[2]), (0.5 - 1.08) * 10 / 72 / 6.4, 1e-9, 1e-12, "(matplotlib agrees)")
T.close(-gapy(got.hw[2]) + gapy(got.default[2]), (3.0 - 1.08) * 10 / 72 / 4.8, 1e-9, 1e-12, "h_pad")
-- rect: the grid with its decorations fits in rect
T.close(got.rect[1][2], 0.5 - (1 - got.default[1][2]), 1e-12, 1e-12, "rect: right edge")
T.close(got.rect2[1][1], 0.1 + got.default[1][1], 1e-12, 1e-12, "rect: left edge")
T.close(got.rect2[1][4], 0.8 - (1 - got.default[1][4]), 1e-12, 1e-12, "rect: top edge")
-- a suptitle takes its height and a pad from the top
T.ok(got.suptitle[1][4] < got.default[1][4] - 0.04, "suptitle lowers the top")
-- plt.tight_layout, layout = "tight" and tight_layout = {...} at creation do the same
local fig = plt.figure{figsize = {6.4, 4.8}, tight_layout = {pad = 3.0}}
local ax = fig:add_subplot(1, 1, 1); ax:set_title("t"); ax:plot({0, 1}, {0, 1})
fig:savefig(T.tmp("tight2.png"))
local fig2 = plt.figure{figsize = {6.4, 4.8}, layout = "tight"}
local ax2 = fig2:add_subplot(1, 1, 1); ax2:set_title("t"); ax2:plot({0, 1}, {0, 1})
fig2:savefig(T.tmp("tight3.png"))
T.close(fig.subplotpars.left - fig2.subplotpars.left, dl, 1e-9, 1e-12, "tight_layout = {pad = 3} at creation")
plt.close(fig); plt.close(fig2)
-- bad options fail loudly
T.err("tight_layout: unknown option 'hpad' (did you mean 'h_pad'?)", function() plt.figure():tight_layout{hpad = 1} end)
T.err("tight_layout: w_pad must be a number >= 0", function() plt.figure():tight_layout{w_pad = -1} end)
T.err("tight_layout: rect must be {left, bottom, right, top} in figure fractions", function()
  plt.figure():tight_layout{rect = {0, 0, 1}} end)
T.err("plt.figure: tight_layout must be true, false or a table", function() plt.figure{tight_layout = "yes"} end)
T.done()
