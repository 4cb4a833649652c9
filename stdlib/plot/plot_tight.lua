-- plot_tight.lua: matplotlib's tight_layout (matplotlib/_tight_layout.py,
-- _auto_adjust_subplotpars): from the measured extents of each grid axes'
-- decorations (tick labels, axis labels, title: Axes:_decor) it computes the
-- subplot parameters left, right, bottom, top, wspace, hspace so that they
-- fit with pad (between the figure edge and the decorations), w_pad and h_pad
-- (between neighbouring axes' decorations), in units of the font size, inside
-- rect (figure fractions). One pass from matplotlib's default parameters, as
-- matplotlib does; fig:tight_layout{...}, layout = "tight" and
-- tight_layout = true/{...} at creation use it.
local Tt = {}

-- matplotlib's rcParams["figure.subplot.*"] defaults
Tt.DEFAULT = {left = 0.125, right = 0.9, bottom = 0.11, top = 0.88, wspace = 0.2, hspace = 0.2}

-- Pixel geometry of an nr x nc grid under subplot parameters p (GridSpec's
-- get_grid_positions): left x of each column, top y of each row (y down),
-- cell width and height.
function Tt.cells (p, nr, nc, W, H)
  local cw = (p.right - p.left) / (nc + p.wspace * (nc - 1))
  local ch = (p.top - p.bottom) / (nr + p.hspace * (nr - 1))
  local xs, ys = {}, {}
  for c = 1, nc do xs[c] = (p.left + (c - 1) * cw * (1 + p.wspace)) * W end
  for r = 1, nr do ys[r] = (1 - p.top + (r - 1) * ch * (1 + p.hspace)) * H end
  return xs, ys, cw * W, ch * H
end

local function warn (msg)
  io.stderr:write("tight_layout: warning: " .. msg .. "\n")
end

-- Tt.params(groups, nr, nc, W, H, o) -> subplot parameters, or nil (with
-- matplotlib's warning) when the decorations do not fit. groups: one entry
-- per grid cell span {r0, r1, c0, c1, L, R, T, B} with the decorations'
-- extents in pixels beyond the axes box; o: {pad, h_pad, w_pad, rect,
-- fontsize_px, sup_px (suptitle height or 0)}.
local function adjust (groups, nr, nc, W, H, o, rect)
  local pad = o.pad * o.fontsize_px
  local vpad = (o.h_pad or o.pad) * o.fontsize_px
  local hpad = (o.w_pad or o.pad) * o.fontsize_px
  local ml, mb, mr, mt
  if rect then
    ml, mb = rect[1], rect[2]
    mr = (rect[3] and rect[3] ~= 0) and 1 - rect[3] or nil
    mt = (rect[4] and rect[4] ~= 0) and 1 - rect[4] or nil
  end
  local hs, vs = {}, {}
  for r = 1, nr do hs[r] = {} for c = 1, nc + 1 do hs[r][c] = 0 end end
  for r = 1, nr + 1 do vs[r] = {} for c = 1, nc do vs[r][c] = 0 end end
  for _, g in ipairs(groups) do
    for r = g[1], g[2] do
      hs[r][g[3]] = hs[r][g[3]] + g[5] / W
      hs[r][g[4] + 1] = hs[r][g[4] + 1] + g[6] / W
    end
    for c = g[3], g[4] do
      vs[g[1]][c] = vs[g[1]][c] + g[7] / H
      vs[g[2] + 1][c] = vs[g[2] + 1][c] + g[8] / H
    end
  end
  local function colmax (c) local m = -math.huge; for r = 1, nr do m = math.max(m, hs[r][c]) end return m end
  local function rowmax (r) local m = -math.huge; for c = 1, nc do m = math.max(m, vs[r][c]) end return m end
  -- Python's "if not margin": a given 0 counts as not given, as in matplotlib
  if not ml or ml == 0 then ml = math.max(colmax(1), 0) + pad / W end
  if not mr or mr == 0 then mr = math.max(colmax(nc + 1), 0) + pad / W end
  if not mt or mt == 0 then
    mt = math.max(rowmax(1), 0) + pad / H
    if o.sup_px > 0 then mt = mt + o.sup_px / H + pad / H end
  end
  if not mb or mb == 0 then mb = math.max(rowmax(nr + 1), 0) + pad / H end
  if ml + mr >= 1 then
    warn("the left and right margins cannot be made large enough to accommodate all axes decorations")
    return nil
  end
  if mb + mt >= 1 then
    warn("the bottom and top margins cannot be made large enough to accommodate all axes decorations")
    return nil
  end
  local p = {left = ml, right = 1 - mr, bottom = mb, top = 1 - mt, wspace = Tt.DEFAULT.wspace, hspace = Tt.DEFAULT.hspace}
  if nc > 1 then
    local hspace = -math.huge
    for c = 2, nc do hspace = math.max(hspace, colmax(c)) end
    hspace = hspace + hpad / W
    local h_axes = (1 - mr - ml - hspace * (nc - 1)) / nc
    if h_axes < 0 then
      warn("tight_layout cannot make axes width small enough to accommodate all axes decorations")
      return nil
    end
    p.wspace = hspace / h_axes
  end
  if nr > 1 then
    local vspace = -math.huge
    for r = 2, nr do vspace = math.max(vspace, rowmax(r)) end
    vspace = vspace + vpad / H
    local v_axes = (1 - mt - mb - vspace * (nr - 1)) / nr
    if v_axes < 0 then
      warn("tight_layout cannot make axes height small enough to accommodate all axes decorations")
      return nil
    end
    p.hspace = vspace / v_axes
  end
  return p
end

function Tt.params (groups, nr, nc, W, H, o)
  local p = adjust(groups, nr, nc, W, H, o, nil)
  if p and o.rect then
    -- the whole grid, decorations included, goes inside rect
    local r = o.rect
    p = adjust(groups, nr, nc, W, H, o, {r[1] + p.left, r[2] + p.bottom,
                                         r[3] - (1 - p.right), r[4] - (1 - p.top)})
  end
  return p
end

-- Tt.check(fname, opts, level): pad, h_pad, w_pad numbers >= 0, rect four
-- figure fractions; returns the options with pad's default.
function Tt.check (fname, o, level)
  for _, k in ipairs{"pad", "h_pad", "w_pad"} do
    if o[k] ~= nil and (type(o[k]) ~= "number" or o[k] < 0) then
      error(("%s: %s must be a number >= 0"):format(fname, k), level + 1)
    end
  end
  local r = o.rect
  if r ~= nil then
    local ok = type(r) == "table" and #r == 4
    for i = 1, 4 do ok = ok and type(r[i]) == "number" end
    if not ok or r[1] >= r[3] or r[2] >= r[4] then
      error(fname .. ": rect must be {left, bottom, right, top} in figure fractions, left < right and bottom < top", level + 1)
    end
  end
  return {pad = o.pad or 1.08, h_pad = o.h_pad, w_pad = o.w_pad, rect = r}
end

return Tt
