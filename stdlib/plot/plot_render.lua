-- plot_render.lua: limits, ticks, decorations and drawing of plt Axes.
-- Adds methods to the Axes class of plot_axes.lua. Coordinates: the axes box
-- is self.box = {x0, y0, x1, y1} in canvas pixels (y down); ax._s converts
-- points to pixels (dpi / 72).
local core = require "geolab.plot_core"
local T = require "geolab.plot_ticks"
local S = require "geolab.plot_style"
local Axes = require "geolab.plot_axes"

local SCALES = {linear = 0, log = 1, symlog = 2}
local NAN = 0 / 0
local BLACK = {0, 0, 0, 1}

-- {===== limits

-- Data limits of one artist along axis "x"/"y" (positive only for log axes).
local function artist_lim (a, axis, pos)
  local lo, hi = math.huge, -math.huge
  local function upd (l, h) if l and l < lo then lo = l end; if h and h > hi then hi = h end end
  local function vals (t) for _, v in ipairs(t) do if v == v and (not pos or v > 0) then upd(v, v) end end end
  if a.lim then return a.lim(a, axis, pos)   -- kinds defined outside this file
  elseif a.kind == "line" or a.kind == "scatter" then
    local l, h = core.finite_range(a[axis], pos)
    upd(l, h)
  elseif a.kind == "poly" then vals(a[axis])
  elseif a.kind == "bars" then
    for _, r in ipairs(a.rects) do
      local v0, v1
      if axis == "x" then v0, v1 = r[1], r[1] + r[3] else v0, v1 = r[2], r[2] + r[4] end
      for _, v in ipairs {v0, v1} do if v == v and (not pos or v > 0) then upd(v, v) end end
    end
  elseif a.kind == "image" then
    local e = a.extent
    if axis == "x" then upd(math.min(e[1], e[2]), math.max(e[1], e[2])) else upd(math.min(e[3], e[4]), math.max(e[3], e[4])) end
  elseif a.kind == "mesh" then
    vals(axis == "x" and a.xs or a.ys)
  elseif a.kind == "contour" or a.kind == "bands" then
    local l, h = core.finite_range((axis == "x" and a.xlim or a.ylim)[1], pos)
    upd(l, h)
  elseif a.kind == "refline" then
    if (a.dir == "h" and axis == "y") or (a.dir == "v" and axis == "x") then upd(a.v, a.v) end
  elseif a.kind == "span" then
    if (a.dir == "h" and axis == "y") or (a.dir == "v" and axis == "x") then upd(a.v0, a.v1) end
  elseif a.kind == "text" and a.coords == "data" then
    upd(axis == "x" and a.x or a.y, axis == "x" and a.x or a.y)
    if a.arrow and a.arrow.coords == "data" then local v = a.arrow.xy[axis == "x" and 1 or 2]; upd(v, v) end
  end
  if lo > hi then return nil end
  return lo, hi
end

local function fwd (sc, v, lt)
  if sc == "log" then return math.log(v, 10) end
  if sc == "symlog" then
    local ls = 1 / (1 - 0.1)
    if math.abs(v) <= lt then return v * ls end
    return (v < 0 and -1 or 1) * lt * (ls + math.log(math.abs(v) / lt, 10))
  end
  return v
end
local function inv (sc, u, lt)
  if sc == "log" then return 10 ^ u end
  if sc == "symlog" then
    local ls = 1 / (1 - 0.1)
    if math.abs(u) <= lt * ls then return u / ls end
    return (u < 0 and -1 or 1) * lt * 10 ^ (math.abs(u) / lt - ls)
  end
  return u
end
Axes._fwd, Axes._inv = fwd, inv

-- Axes sharing this axis (sharex/sharey groups, twins).
function Axes:_group (axis)
  local root = self["share_" .. axis] or self
  while root["share_" .. axis] do root = root["share_" .. axis] end
  local g = {}
  for _, ax in ipairs(self.fig._axes) do
    local r = ax
    while r["share_" .. axis] do r = r["share_" .. axis] end
    if r == root then g[#g + 1] = ax end
  end
  return g
end

-- Returns {lo, hi} (in display order: inverted axes have lo > hi).
function Axes:_limits (axis)
  local user = self["_" .. axis .. "lim_user"] or {}
  local sc = self[axis .. "scale"]
  local pos = sc == "log"
  local lo, hi, sticky_lo, sticky_hi = math.huge, -math.huge, {}, {}
  local exact = false
  local group = self:_group(axis)
  for _, ax in ipairs(group) do
    if ax ~= self and ax["_" .. axis .. "lim_user"] and ax["_" .. axis .. "lim_user"][1] and not user[1] then
      user = ax["_" .. axis .. "lim_user"]
    end
    for _, a in ipairs(ax.artists) do
      local l, h = artist_lim(a, axis, pos)
      if l then
        lo, hi = math.min(lo, l), math.max(hi, h)
        if a.kind == "image" or a.kind == "mesh" or a.kind == "bands" or a.kind == "contour" then
          sticky_lo[#sticky_lo + 1] = l; sticky_hi[#sticky_hi + 1] = h; exact = exact or a.kind == "image"
        end
        local st = a["sticky_" .. axis]
        if st then sticky_lo[#sticky_lo + 1] = st; sticky_hi[#sticky_hi + 1] = st end
      end
    end
  end
  if lo > hi then
    lo, hi = (sc == "log") and 1 or 0, (sc == "log") and 10 or 1
    if user[1] or user[2] then lo, hi = user[1] or lo, user[2] or hi end
  elseif not (user[1] and user[2]) then
    local lt = self.linthresh[axis]
    if lo == hi then lo, hi = core.nonsingular(lo, hi, sc == "log" and 0.5 or 0.05, 1e-15) end
    local m = (self._margins and self._margins[axis]) or self:_rc("axes." .. axis .. "margin")
    local u0, u1 = fwd(sc, lo, lt), fwd(sc, hi, lt)
    local d = (u1 - u0) * m
    local nlo, nhi = inv(sc, u0 - d, lt), inv(sc, u1 + d, lt)
    -- sticky edges: margins never cross a sticky value that bounds the data
    for _, s in ipairs(sticky_lo) do if s == lo and nlo < s then nlo = s end end
    for _, s in ipairs(sticky_hi) do if s == hi and nhi > s then nhi = s end end
    lo, hi = nlo, nhi
    if user[1] then lo = user[1] end
    if user[2] then hi = user[2] end
  else
    lo, hi = user[1], user[2]
  end
  local inverted = self[axis .. "inverted"]
  for _, ax in ipairs(group) do
    if ax[axis .. "inverted"] then inverted = true end
    for _, a in ipairs(ax.artists) do
      if axis == "y" and a.kind == "image" and a.extent[3] > a.extent[4] and not (user[1] and user[2]) then inverted = not inverted end
    end
  end
  if user[1] and user[2] then return {user[1], user[2]} end
  if inverted then return {hi, lo} end
  return {lo, hi}
end

-- Axis map for the canvas: {d0, d1, p0, p1, scale, linthresh}.
function Axes:_map (axis)
  local l = self["_lim" .. axis] or self:_limits(axis)
  local b = self.box
  if axis == "x" then return {l[1], l[2], b[1], b[3], SCALES[self.xscale], self.linthresh.x} end
  return {l[1], l[2], b[4], b[2], SCALES[self.yscale], self.linthresh.y}
end

-- =====}

-- {===== ticks

-- Major ticks (values inside the view), their labels, minor ticks and an
-- offset text, for axis "x"/"y".
function Axes:_ticks (axis)
  local l = self["_lim" .. axis]
  local lo, hi = math.min(l[1], l[2]), math.max(l[1], l[2])
  local b = self.box
  local len_px = axis == "x" and (b[3] - b[1]) or (b[4] - b[2])
  local len_pt = len_px / self._s
  local sc = self[axis .. "scale"]
  local user = self["_" .. axis .. "ticks"]
  local ulabels = self["_" .. axis .. "ticklabels"]
  local majors, labels, minors, offset = {}, {}, {}, ""
  self["_" .. axis .. "minorlabels"] = nil
  local proxy = self["_" .. axis .. "proxy"]
  if proxy and not user then
    -- ticks of another axes' range shown at the matching relative positions
    -- (scatter_matrix: the top-left histogram labels its row's data range)
    local pl = proxy:_limits(axis)
    local plo, phi = math.min(pl[1], pl[2]), math.max(pl[1], pl[2])
    local pt = T.inside(T.linear_ticks(plo, phi, T.nbins(len_pt, axis == "x", self:_style().tick)), plo, phi)
    local plab = T.scalar_labels(pt, plo, phi)
    for i, v in ipairs(pt) do majors[i] = lo + (v - plo) / (phi - plo) * (hi - lo); labels[i] = plab[i] end
    return majors, labels, minors, offset
  end
  if user then
    majors = T.inside(user, lo, hi)
    if ulabels then
      labels = {}
      local k = 0
      for i, v in ipairs(user) do
        if v >= lo - 1e-9 * math.abs(hi - lo) and v <= hi + 1e-9 * math.abs(hi - lo) then
          k = k + 1; labels[k] = T.runs(ulabels[i] or "")
        end
      end
    else labels = T.scalar_labels(majors, lo, hi) end
  elseif self[axis .. "date"] then
    local fmt
    majors, fmt = T.date_ticks(lo, hi)
    for i, v in ipairs(majors) do labels[i] = T.strftime(fmt, v) end
  elseif sc == "log" then
    local numticks = math.max(2, math.min(T.nbins(len_pt, axis == "x", 10), 9))
    local all, mins = T.log_ticks(lo, hi, numticks)
    majors = T.inside(all, lo, hi)
    minors = T.inside(mins, lo, hi)
    for i, v in ipairs(majors) do labels[i] = T.log_label(v) end
    if #majors < 2 then
      -- under about a decade matplotlib labels the minor ticks too (s x 10^e)
      local ml = {}
      for i, v in ipairs(minors) do
        local e = math.floor(math.log(v, 10) + 1e-9)
        ml[i] = T.runs(("$%d\\times10^{%d}$"):format(math.floor(v / 10 ^ e + 0.5), e))
      end
      if #minors <= 8 then self["_" .. axis .. "minorlabels"] = ml end
    end
  elseif sc == "symlog" then
    majors = T.inside(T.symlog_ticks(lo, hi, self.linthresh[axis]), lo, hi)
    for i, v in ipairs(majors) do labels[i] = T.symlog_label(v) end
  else
    local nb = T.nbins(len_pt, axis == "x", self:_style().tick)
    majors = T.inside(T.linear_ticks(lo, hi, nb), lo, hi)
    labels, offset = T.scalar_labels(majors, lo, hi)
  end
  return majors, labels, minors, offset
end

-- =====}

-- {===== decorations: sizes used by the layout

-- Sizes (points) and colours of the decorations, from the figure's rcParams.
function Axes:_style ()
  local st = self._st
  if st and st.fig_rc == (self.fig and self.fig.rc) and st.ts == self.ticksize then return st end
  local base = self:_rc("font.size")
  local function col (key) return S.rgba(self:_rc(key), nil, "rcParams") end
  local tc = self:_rc("axes.titlecolor")
  st = {fig_rc = self.fig and self.fig.rc, ts = self.ticksize,
        tick = self.ticksize or S.R.fontsize(self:_rc("xtick.labelsize"), base),
        label = S.R.fontsize(self:_rc("axes.labelsize"), base), title = S.R.fontsize(self:_rc("axes.titlesize"), base),
        edge = col("axes.edgecolor"), edge_lw = self:_rc("axes.linewidth"), xtick = col("xtick.color"),
        ytick = col("ytick.color"), labelc = col("axes.labelcolor"), textc = col("text.color"),
        titlec = tc == "auto" and col("text.color") or S.rgba(tc, nil, "rcParams")}
  self._st = st
  return st
end

local function tsize (runs, size_px, bold)
  local w, a, d = core.text_size(runs, size_px, bold)
  return w, a + d, a, d
end

-- Extents of the rotated box of a w x h label.
local function rot_extent (w, h, deg)
  local r = math.rad(deg or 0)
  local c, s = math.abs(math.cos(r)), math.abs(math.sin(r))
  return w * c + h * s, w * s + h * c
end

-- Computes ticks and returns how far decorations reach outside the box:
-- left, right, top, bottom (pixels).
function Axes:_decor ()
  local s = self._s
  self._limx, self._limy = self:_limits("x"), self:_limits("y")
  if self.is3d or self.kind_special then return self:_decor_special() end
  local L, R, Tt, B = 0, 0, 0, 0
  local fs = self:_style().tick * s
  local tick = 3.5 * s + 3.5 * s   -- tick length + pad
  self._tx = {self:_ticks("x")}
  self._ty = {self:_ticks("y")}
  if not self.axis_on then
    self._tx, self._ty = {{}, {}, {}, ""}, {{}, {}, {}, ""}
  end
  -- x tick labels
  local xside = self.ticks_side.x
  local showx = self.show_xticklabels and xside ~= "none" and self.axis_on
  local xh, xover = 0, 0
  if showx then
    for i, lab in ipairs(self._tx[2]) do
      local w, h = tsize(lab, fs)
      local ew, eh = rot_extent(w, h, self.xtick_rot)
      xh = math.max(xh, eh)
      if i == #self._tx[2] and (self.xtick_rot or 0) == 0 then xover = w / 2 end
    end
  end
  local xdec = (showx and #self._tx[2] > 0) and (tick + xh) or (self.axis_on and 3.5 * s or 0)
  if self.xlabel and self.axis_on then local _, h = tsize(T.runs(self.xlabel), self:_style().label * s); xdec = xdec + 4 * s + h end
  if xside == "top" then Tt = Tt + xdec else B = B + xdec end
  R = math.max(R, xover)
  -- y tick labels
  local yside = self.ticks_side.y
  local showy = self.show_yticklabels and self.axis_on
  local yw = 0
  if showy then
    for _, lab in ipairs(self._yminorlabels or {}) do yw = math.max(yw, (tsize(lab, fs))) end
    for _, lab in ipairs(self._ty[2]) do
      local w, h = tsize(lab, fs)
      local ew = rot_extent(w, h, self.ytick_rot)
      yw = math.max(yw, ew)
    end
  end
  local ydec = (showy and #self._ty[2] > 0) and (tick + yw) or (self.axis_on and 3.5 * s or 0)
  if self.ylabel and self.axis_on then local _, h = tsize(T.runs(self.ylabel), self:_style().label * s); ydec = ydec + 4 * s + h end
  if yside == "right" then R = math.max(R, ydec) else L = L + ydec end
  -- offset texts above the y axis / right of the x axis
  if self._ty[4] ~= "" then local _, h = tsize(T.runs(self._ty[4]), fs); Tt = math.max(Tt, h + 4 * s) end
  if self._tx[4] ~= "" then local w = tsize(T.runs(self._tx[4]), fs); B = B + fs end
  if self.title then
    local _, h = tsize(T.runs(self.title), ((self.title_opts or {}).fontsize or self:_style().title) * s)
    Tt = Tt + 6 * s + h
  end
  -- texts placed outside the axes (labels beside image strips, notes) count
  -- too, as in matplotlib's tight bounding box
  local b = self.box
  local mx, my
  for _, a in ipairs(self.artists) do
    if a.kind == "text" and (a.rot or 0) == 0 then
      mx, my = mx or self:_map("x"), my or self:_map("y")
      local px, py = self:_artist_xy(a, mx, my)
      if px == px and py == py then
        local w, _, asc, desc = tsize(T.runs(a.s), a.size * s, a.bold)
        local x0 = a.ha == "center" and px - w / 2 or a.ha == "right" and px - w or px
        local base = a.va == "top" and py + asc or a.va == "center" and py + (asc - desc) / 2
                     or a.va == "bottom" and py - desc or py
        L = math.max(L, b[1] - x0); R = math.max(R, x0 + w - b[3])
        Tt = math.max(Tt, b[2] - (base - asc)); B = math.max(B, base + desc - b[4])
      end
    end
  end
  -- the last y tick label overhangs by half its height at the top
  Tt = math.max(Tt, fs * 0.6)
  return L, R, Tt, B
end

-- =====}

-- {===== drawing

local function lw_px (self, pt) return pt * self._s end

function Axes._draw_line (self, cv, a, mx, my)
  local s = self._s
  local x, y = a.x, a.y
  if a.drawstyle and a.drawstyle:match("^steps") then
    local xs, ys = core.tolist(x), core.tolist(y)
    local px, py = {}, {}
    for i = 1, #xs do
      if i > 1 then
        if a.drawstyle == "steps-post" then px[#px + 1] = xs[i]; py[#py + 1] = ys[i - 1]
        elseif a.drawstyle == "steps-mid" then
          local m = (xs[i - 1] + xs[i]) / 2
          px[#px + 1] = m; py[#py + 1] = ys[i - 1]; px[#px + 1] = m; py[#py + 1] = ys[i]
        else px[#px + 1] = xs[i - 1]; py[#py + 1] = ys[i] end
      end
      px[#px + 1] = xs[i]; py[#py + 1] = ys[i]
    end
    x, y = core.asarray(px), core.asarray(py)
  end
  local lw = lw_px(self, a.lw)
  local dash = S.dash(a.ls, lw, "plot")
  if dash ~= false and a.color then
    cv:lines(x, y, mx, my, {color = a.color, lw = lw, dash = dash, cap = dash and "butt" or "projecting", join = "round"})
  end
  if a.caps then
    local half = a.capsize * s / 2
    for _, c in ipairs(a.caps) do
      local px, py = core.axmap(mx, c[1]), core.axmap(my, c[2])
      if c[3] == "v" then cv:path({px - half, px + half}, {py, py}, {stroke = a.color, lw = lw})
      else cv:path({px, px}, {py - half, py + half}, {stroke = a.color, lw = lw}) end
    end
  end
  if a.marker and a.marker ~= "" and a.marker ~= "None" then
    local fill = a.mfc or a.color
    local edge = a.mec or a.color
    cv:markers(x, y, mx, my, {marker = a.marker, size = a.ms * s, fill = fill, edge = edge, lw = a.mew * s,
                              clip = self.box})
  end
end

local function draw_scatter (self, cv, a, mx, my)
  local s = self._s
  local opts = {marker = a.marker, lw = a.lw * s, clip = self.box}
  local size_px = math.sqrt(a.s or 36) * s
  opts.size = size_px
  if a.sarr then
    -- sizes are areas in points^2; sqrt per point
    local t = core.tolist(a.sarr)
    for i = 1, #t do t[i] = math.sqrt(math.max(t[i], 0)) * s end
    opts.sizes = core.asarray(t)
  end
  local fill = a.colors or a.color
  opts.fill = fill
  if a.edge == "face" then opts.edge = fill
  elseif a.edge then opts.edge = a.edge end
  local lineonly = a.marker == "+" or a.marker == "x" or a.marker == "|" or a.marker == "_"
  if lineonly then opts.edge = fill; opts.lw = math.max(opts.lw, 1.5 * s) end
  cv:markers(a.x, a.y, mx, my, opts)
end

-- Pixel position of (x, y) in data, "axes" (fraction) or "figure" coordinates.
function Axes:_text_xy (x, y, coords, mx, my)
  if coords == "axes" or coords == "axes fraction" then
    return self.box[1] + x * (self.box[3] - self.box[1]), self.box[4] - y * (self.box[4] - self.box[2])
  elseif coords == "figure" or coords == "figure fraction" then
    return x * self.fig._W, (1 - y) * self.fig._H
  end
  return core.axmap(mx, x), core.axmap(my, y)
end

-- Pixel position of a text artist; annotate's "offset points|pixels" are
-- relative to the annotated point.
function Axes:_artist_xy (a, mx, my)
  if a.anchor then
    local x0, y0 = self:_text_xy(a.anchor[1], a.anchor[2], a.anchor_coords, mx, my)
    local k = a.coords == "offset points" and self._s or 1
    return x0 + a.x * k, y0 - a.y * k
  end
  return self:_text_xy(a.x, a.y, a.coords, mx, my)
end

local function draw_text (self, cv, a, mx, my)
  local s = self._s
  local px, py
  local function place (x, y, coords) return self:_text_xy(x, y, coords, mx, my) end
  px, py = self:_artist_xy(a, mx, my)
  local runs = T.runs(a.s)
  if a.bbox then
    local w, h, asc, desc = tsize(runs, a.size * s, a.bold)
    local dx = a.ha == "center" and -w / 2 or a.ha == "right" and -w or 0
    local dy = a.va == "top" and asc or a.va == "center" and (asc - desc) / 2 or a.va == "bottom" and -desc or 0
    local pad = 3 * s
    local fc = S.rgba(a.bbox.facecolor or "white", a.bbox.alpha, "text")
    cv:rect(px + dx - pad, py + dy - asc - pad, w + 2 * pad, h + 2 * pad,
            {fill = fc, stroke = (a.bbox.edgecolor == nil and BLACK) or S.rgba(a.bbox.edgecolor, nil, "text"), lw = 0.8 * s})
  end
  if a.arrow then
    local ar = a.arrow
    local ax_, ay_ = place(ar.xy[1], ar.xy[2], ar.coords)
    local w, h, asc = tsize(runs, a.size * s)
    if a.s == "" then w, h = 0, 0 end
    -- from the edge of the text box (shrunk by shrink of the length) to the point
    local cx_ = px + (a.ha == "center" and 0 or a.ha == "right" and -w / 2 or w / 2)
    local top = a.va == "top" and py or a.va == "center" and py - h / 2 or a.va == "bottom" and py - h or py - asc
    local cy_ = a.s == "" and py or top + h / 2
    local dx, dy = ax_ - cx_, ay_ - cy_
    local len = math.sqrt(dx * dx + dy * dy)
    if len > 0 then
      local ux, uy = dx / len, dy / len
      local tshrink = math.min(math.abs(w / 2 / (ux ~= 0 and ux or 1e-9)), math.abs(h / 2 / (uy ~= 0 and uy or 1e-9))) + 2 * s
      local sh = (ar.shrink or 0) * len
      local sx, sy = cx_ + ux * (tshrink + sh), cy_ + uy * (tshrink + sh)
      local ex, ey = ax_ - ux * sh, ay_ - uy * sh
      if (ex - sx) * ux + (ey - sy) * uy > 0 then
        local st = ar.style
        local hl = 8 * s * math.max(ar.lw, 0.5)
        local filled = st:find("|") or st == "simple" or st == "fancy" or st == "wedge"
        local head_end = st:find(">$") or st == "simple" or st == "fancy" or st == "wedge"
        local head_start = st:find("^<")
        local function head (tx, ty, vx, vy)   -- tip (tx, ty), pointing along (vx, vy)
          local bx, by = tx - vx * hl, ty - vy * hl
          local nx, ny = -vy * hl * 0.4, vx * hl * 0.4
          if filled then cv:path({tx, bx + nx, bx - nx}, {ty, by + ny, by - ny}, {fill = ar.color, closed = true})
          else cv:path({bx + nx, tx, bx - nx}, {by + ny, ty, by - ny}, {stroke = ar.color, lw = ar.lw * s, join = "miter"}) end
        end
        local l0 = (head_start and filled) and hl or 0
        local l1 = (head_end and filled) and hl or 0
        cv:path({sx + ux * l0, ex - ux * l1}, {sy + uy * l0, ey - uy * l1}, {stroke = ar.color, lw = ar.lw * s})
        if head_end then head(ex, ey, ux, uy) end
        if head_start then head(sx, sy, -ux, -uy) end
      end
    end
  end
  cv:text(runs, px, py, {size = a.size * s, color = a.color, ha = a.ha, va = a.va, rotation = a.rot, bold = a.bold})
end

local draw_one
-- rasterized=true (plot_raster.lua): the artist becomes an image in SVG/PDF
local function draw_artist (self, cv, a, mx, my)
  if not a.rasterized then return draw_one(self, cv, a, mx, my) end
  cv:raster_begin()
  draw_one(self, cv, a, mx, my)
  cv:raster_end()
end

function draw_one (self, cv, a, mx, my)
  local s = self._s
  local k = a.kind
  if a.draw then a.draw(self, cv, a, mx, my)
  elseif k == "line" then Axes._draw_line(self, cv, a, mx, my)
  elseif k == "scatter" then draw_scatter(self, cv, a, mx, my)
  elseif k == "bars" then
    for i, r in ipairs(a.rects) do
      local x0, x1 = core.axmap(mx, r[1]), core.axmap(mx, r[1] + r[3])
      local y0, y1 = core.axmap(my, r[2]), core.axmap(my, r[2] + r[4])
      -- on a log axis a bar from 0 starts below the axes (matplotlib clips it)
      if y0 ~= y0 and r[2] <= 0 then y0 = self.box[4] + 10 end
      if x0 ~= x0 and r[1] <= 0 then x0 = self.box[1] - 10 end
      if x0 == x0 and x1 == x1 and y0 == y0 and y1 == y1 then
        local fill = a.fills and a.fills[i] or a.fill
        -- snap edges to whole pixels (as Agg does for rectilinear paths), so
        -- that adjacent histogram bars show no antialiased seams
        local sx0, sx1 = math.floor(x0 + 0.5), math.floor(x1 + 0.5)
        local sy0, sy1 = math.floor(y0 + 0.5), math.floor(y1 + 0.5)
        if sx0 ~= sx1 then x0, x1 = sx0, sx1 end
        if sy0 ~= sy1 then y0, y1 = sy0, sy1 end
        cv:rect(math.min(x0, x1), math.min(y0, y1), math.abs(x1 - x0), math.abs(y1 - y0),
                {fill = fill, stroke = a.edge, lw = a.lw * s})
      end
    end
  elseif k == "poly" then
    local px, py = {}, {}
    for i = 1, #a.x do px[i] = core.axmap(mx, a.x[i]); py[i] = core.axmap(my, a.y[i]) end
    if a.fill then cv:path(px, py, {fill = a.fill, closed = true}) end
    if a.edge then cv:path(px, py, {stroke = a.edge, lw = a.lw * s, join = "miter"}) end
  elseif k == "refline" then
    local b = self.box
    local lw = a.lw * s
    if a.dir == "h" then
      local y = core.axmap(my, a.v)
      local x0, x1 = b[1] + a.a0 * (b[3] - b[1]), b[1] + a.a1 * (b[3] - b[1])
      cv:path({x0, x1}, {y, y}, {stroke = a.color, lw = lw, dash = S.dash(a.ls, lw) or nil})
    else
      local x = core.axmap(mx, a.v)
      local y0, y1 = b[4] - a.a0 * (b[4] - b[2]), b[4] - a.a1 * (b[4] - b[2])
      cv:path({x, x}, {y0, y1}, {stroke = a.color, lw = lw, dash = S.dash(a.ls, lw) or nil})
    end
  elseif k == "span" then
    local b = self.box
    if a.dir == "h" then
      local y0, y1 = core.axmap(my, a.v0), core.axmap(my, a.v1)
      local x0, x1 = b[1] + a.a0 * (b[3] - b[1]), b[1] + a.a1 * (b[3] - b[1])
      cv:rect(x0, math.min(y0, y1), x1 - x0, math.abs(y1 - y0), {fill = a.fill})
    else
      local x0, x1 = core.axmap(mx, a.v0), core.axmap(mx, a.v1)
      local y0, y1 = b[4] - a.a0 * (b[4] - b[2]), b[4] - a.a1 * (b[4] - b[2])
      cv:rect(math.min(x0, x1), math.min(y0, y1), math.abs(x1 - x0), math.abs(y1 - y0), {fill = a.fill})
    end
  elseif k == "image" then
    local e = a.extent
    local x0, x1 = core.axmap(mx, e[1]), core.axmap(mx, e[2])
    local y0, y1 = core.axmap(my, e[3]), core.axmap(my, e[4])
    -- extent is (left, right, bottom, top): row 1 of the data goes to the top
    -- edge for origin "upper", to the bottom edge for "lower" (a negative
    -- height flips the image)
    if a.origin == "upper" then cv:image(a.rgba, x0, y1, x1 - x0, y0 - y1, {nearest = a.nearest})
    else cv:image(a.rgba, x0, y0, x1 - x0, y1 - y0, {nearest = a.nearest}) end
  elseif k == "mesh" then
    local xs, ys = a.xs, a.ys
    local regular = self.xscale == "linear" and self.yscale == "linear"
    local function even (t) local d = t[2] - t[1]; for i = 3, #t do if math.abs(t[i] - t[i - 1] - d) > 1e-9 * math.abs(d) then return false end end; return true end
    if regular and even(xs) and even(ys) then
      local x0, x1 = core.axmap(mx, xs[1]), core.axmap(mx, xs[#xs])
      local y0, y1 = core.axmap(my, ys[1]), core.axmap(my, ys[#ys])
      cv:image(a.rgba, x0, y0, x1 - x0, y1 - y0, {nearest = true})
    else
      local t = core.tolist(a.rgba)   -- 8-bit RGBA, one rectangle per cell
      for i = 1, #t do t[i] = t[i] / 255 end
      for i = 1, a.h do
        local y0, y1 = core.axmap(my, ys[i]), core.axmap(my, ys[i + 1])
        for j = 1, a.w do
          local x0, x1 = core.axmap(mx, xs[j]), core.axmap(mx, xs[j + 1])
          local kk = ((i - 1) * a.w + (j - 1)) * 4
          cv:rect(math.min(x0, x1), math.min(y0, y1), math.abs(x1 - x0) + 0.5, math.abs(y1 - y0) + 0.5,
                  {fill = {t[kk + 1], t[kk + 2], t[kk + 3], t[kk + 4]}})
        end
      end
    end
  elseif k == "contour" then
    for _, sg in ipairs(a.segs) do
      local lw = a.lw * s
      cv:lines(sg.x, sg.y, mx, my, {color = sg.color, lw = lw, dash = S.dash(sg.ls, lw) or nil, simplify = false})
    end
  elseif k == "bands" then
    for _, bd in ipairs(a.bands) do cv:polys(bd.x, bd.y, mx, my, {fill = bd.color}) end
  elseif k == "text" then draw_text(self, cv, a, mx, my)
  end
end

local function by_z (arts)
  local t = {}
  for i, a in ipairs(arts) do t[i] = a end
  table.sort(t, function (p, q) if p.z ~= q.z then return p.z < q.z end return p.order < q.order end)
  return t
end

-- Draws ticks, tick labels and axis labels of one axis.
local function draw_axis (self, cv, axis, mx, my)
  local s = self._s
  local b = self.box
  local tk = axis == "x" and self._tx or self._ty
  local majors, labels, minors, offset = tk[1], tk[2], tk[3], tk[4]
  local side = self.ticks_side[axis]
  if side == "none" then return end
  local fs = self:_style().tick * s
  local st = self:_style()
  local tc = axis == "x" and st.xtick or st.ytick
  local tl, ml = 3.5 * s, 2 * s
  local lwt = 0.8 * s
  local showlab = axis == "x" and self.show_xticklabels or axis == "y" and self.show_yticklabels
  if axis == "x" then
    local y = side == "top" and b[2] or b[4]
    local dir = side == "top" and -1 or 1
    local mlab = self._xminorlabels
    for i, v in ipairs(minors) do
      local x = core.axmap(mx, v)
      cv:path({x, x}, {y, y + dir * ml}, {stroke = tc, lw = 0.6 * s})
      if mlab and showlab and mlab[i] then
        cv:text(mlab[i], x, y + dir * (ml + 3.5 * s), {size = fs, color = tc, ha = "center", va = side == "top" and "bottom" or "top"})
      end
    end
    local rot = self.xtick_rot or 0
    for i, v in ipairs(majors) do
      local x = core.axmap(mx, v)
      cv:path({x, x}, {y, y + dir * tl}, {stroke = tc, lw = lwt})
      if showlab and labels[i] then
        local ha = rot == 0 and "center" or (self.xtick_ha or "right")
        if rot == 90 then ha = "right" end
        if rot == 0 then
          cv:text(labels[i], x, y + dir * (tl + 3.5 * s), {size = fs, color = tc, ha = "center", va = side == "top" and "bottom" or "top"})
        else
          -- rotated labels end at the tick (matplotlib with ha="right")
          cv:text(labels[i], x, y + dir * (tl + 3.5 * s), {size = fs, color = tc, ha = ha, va = rot == 90 and "center" or "top", rotation = rot})
        end
      end
    end
    if offset ~= "" then cv:text(T.runs(offset), b[3], y + tl + 3.5 * s + fs * 1.3, {size = fs, color = tc, ha = "right", va = "top"}) end
  else
    local x = side == "right" and b[3] or b[1]
    local dir = side == "right" and 1 or -1
    local mlab = self._yminorlabels
    for i, v in ipairs(minors) do
      local y = core.axmap(my, v)
      cv:path({x, x + dir * ml}, {y, y}, {stroke = tc, lw = 0.6 * s})
      if mlab and showlab and mlab[i] then
        cv:text(mlab[i], x + dir * (ml + 3.5 * s), y, {size = fs, color = tc, ha = side == "right" and "left" or "right", va = "center"})
      end
    end
    for i, v in ipairs(majors) do
      local y = core.axmap(my, v)
      cv:path({x, x + dir * tl}, {y, y}, {stroke = tc, lw = lwt})
      if showlab and labels[i] then
        cv:text(labels[i], x + dir * (tl + 3.5 * s), y, {size = fs, color = tc, ha = side == "right" and "left" or "right", va = "center",
                                                         rotation = self.ytick_rot})
      end
    end
    if offset ~= "" then cv:text(T.runs(offset), x, b[2] - 4 * s, {size = fs, color = tc, ha = side == "right" and "right" or "left", va = "bottom"}) end
  end
end

function Axes:_label_positions ()
  -- widest y tick label and tallest x tick label, for the axis labels
  local s = self._s
  local fs = self:_style().tick * s
  local yw, xh = 0, 0
  if self.show_yticklabels then
    for _, lab in ipairs(self._yminorlabels or {}) do yw = math.max(yw, (tsize(lab, fs))) end
    for _, lab in ipairs(self._ty[2]) do
      local w, h = tsize(lab, fs); yw = math.max(yw, (rot_extent(w, h, self.ytick_rot)))
    end
  end
  if self.show_xticklabels then
    for _, lab in ipairs(self._tx[2]) do
      local w, h = tsize(lab, fs); local _, eh = rot_extent(w, h, self.xtick_rot); xh = math.max(xh, eh)
    end
  end
  return yw, xh
end

function Axes:draw (cv)
  local s = self._s
  local b = self.box
  self._limx, self._limy = self._limx or self:_limits("x"), self._limy or self:_limits("y")
  if self.is3d or self.kind_special then return self:_draw_special(cv) end
  local mx, my = self:_map("x"), self:_map("y")
  local W, H = b[3] - b[1], b[4] - b[2]
  if self.axis_on and not self.twin_of and self.facecolor and not self.fig._transparent then
    cv:rect(b[1], b[2], W, H, {fill = self.facecolor})
  end
  local arts = by_z(self.artists)
  cv:clip(b[1], b[2], W, H)
  local grid_drawn = false
  local function grid ()
    if grid_drawn or not self.show_grid then return end
    grid_drawn = true
    local go = self.grid_opts or {}
    local col = S.rgba(go.color or go.c or self:_rc("grid.color"), go.alpha or self:_rc("grid.alpha"), "grid")
    local lw = (go.linewidth or go.lw or self:_rc("grid.linewidth")) * s
    local which = go.axis or self:_rc("axes.grid.axis")
    local dash = S.dash(go.linestyle or go.ls or self:_rc("grid.linestyle"), lw)
    local major, minor = (go.which or "major") ~= "minor", (go.which or "major") ~= "major"
    local function lines (vals, vert, mlw)
      for _, v in ipairs(vals) do
        if vert then local x = core.axmap(mx, v); cv:path({x, x}, {b[2], b[4]}, {stroke = col, lw = mlw, dash = dash})
        else local y = core.axmap(my, v); cv:path({b[1], b[3]}, {y, y}, {stroke = col, lw = mlw, dash = dash}) end
      end
    end
    if which ~= "y" then
      if minor then lines(self._tx[3], true, lw * 0.6) end
      if major then lines(self._tx[1], true, lw) end
    end
    if which ~= "x" then
      if minor then lines(self._ty[3], false, lw * 0.6) end
      if major then lines(self._ty[1], false, lw) end
    end
  end
  -- axes.axisbelow: true puts the grid under everything, "line" under lines only
  local below = self:_rc("axes.axisbelow")
  if below == true then grid() end
  local texts = {}
  for _, a in ipairs(arts) do
    if a.z >= 1.5 and below ~= false then grid() end
    -- text is not clipped to the axes (matplotlib's clip_on=False for text)
    if a.kind == "text" then texts[#texts + 1] = a else draw_artist(self, cv, a, mx, my) end
  end
  grid()
  cv:unclip()
  for _, a in ipairs(texts) do draw_artist(self, cv, a, mx, my) end
  if self.axis_on then
    if self.spines then
      local st = self:_style()
      if st.edge_lw > 0 then cv:rect(b[1], b[2], W, H, {stroke = st.edge, lw = st.edge_lw * s}) end
    end
    draw_axis(self, cv, "x", mx, my)
    draw_axis(self, cv, "y", mx, my)
    local yw, xh = self:_label_positions()
    if self.xlabel then
      local y = b[4] + (#self._tx[2] > 0 and self.show_xticklabels and (7 * s + xh) or 3.5 * s) + 4 * s
      if self.ticks_side.x == "top" then y = b[2] - 7 * s - xh - 4 * s end
      cv:text(T.runs(self.xlabel), (b[1] + b[3]) / 2, y, {size = self:_style().label * s, color = self:_style().labelc, ha = "center", va = self.ticks_side.x == "top" and "bottom" or "top"})
    end
    if self.ylabel then
      local right = self.ticks_side.y == "right"
      local x = right and (b[3] + 7 * s + yw + 4 * s) or (b[1] - (#self._ty[2] > 0 and self.show_yticklabels and (7 * s + yw) or 3.5 * s) - 4 * s)
      cv:text(T.runs(self.ylabel), x, (b[2] + b[4]) / 2, {size = self:_style().label * s, color = self:_style().labelc, ha = "center", va = right and "top" or "bottom", rotation = 90})
    end
  end
  if self.title then
    local y = b[2] - 6 * s
    if self.ticks_side.x == "top" then local _, xh = self:_label_positions(); y = y - 7 * s - xh end
    if self._ty[4] ~= "" and self.axis_on then y = y - 0 end
    local loc = self.title_opts and self.title_opts.loc or "center"
    local x = loc == "left" and b[1] or loc == "right" and b[3] or (b[1] + b[3]) / 2
    cv:text(T.runs(self.title), x, y, {size = (self.title_opts and self.title_opts.fontsize or self:_style().title) * s, ha = loc, va = "baseline",
                                   color = self:_style().titlec})
  end
  if self.legend_opts then self:_draw_legend(cv, mx, my) end
end

-- =====}

return Axes
