-- plot_ticks.lua: tick locators and formatters for plt (matplotlib's AutoLocator,
-- ScalarFormatter, LogLocator, SymmetricalLogLocator, AutoDateLocator and
-- AutoDateFormatter), and the small $...$ math-text parser shared by all text.
local core = require "geolab.plot_core"

local M = {}
local floor, ceil, abs, log10 = math.floor, math.ceil, math.abs, math.log10 or function (x) return math.log(x, 10) end
local MINUS = "\u{2212}"

-- {===== math text: "$\alpha_1^2$" -> runs {text, scale, rise, font}

local GREEK = {
  alpha = "α", beta = "β", gamma = "γ", delta = "δ", epsilon = "ε", varepsilon = "ε",
  zeta = "ζ", eta = "η", theta = "θ", vartheta = "ϑ", iota = "ι", kappa = "κ",
  lambda = "λ", mu = "μ", nu = "ν", xi = "ξ", pi = "π", rho = "ρ", sigma = "σ",
  tau = "τ", upsilon = "υ", phi = "φ", varphi = "φ", chi = "χ", psi = "ψ", omega = "ω",
  Gamma = "Γ", Delta = "Δ", Theta = "Θ", Lambda = "Λ", Xi = "Ξ", Pi = "Π", Sigma = "Σ",
  Upsilon = "Υ", Phi = "Φ", Psi = "Ψ", Omega = "Ω",
  times = "×", cdot = "·", pm = "±", mp = "∓", degree = "°", circ = "∘", infty = "∞",
  leq = "≤", geq = "≥", neq = "≠", approx = "≈", sim = "∼", partial = "∂", nabla = "∇",
  sqrt = "√", sum = "∑", int = "∫", rightarrow = "→", leftarrow = "←", to = "→",
  perp = "⊥", parallel = "∥", langle = "⟨", rangle = "⟩", ell = "ℓ", hbar = "ħ",
  AA = "Å", prime = "′", mathdefault = "", mathrm = "", mathit = "", mathbf = "", rm = "", it = "",
  [","] = " ", [";"] = " ", [" "] = " ", ["!"] = "", quad = "  ", ["%"] = "%", ["$"] = "$",
  ["{"] = "{", ["}"] = "}", ["_"] = "_", ["#"] = "#", ["&"] = "&",
}

-- Parses math between $...$: ^ and _ with one char or a {group}, \commands.
local function parse_math (s, runs, scale, rise)
  local i, n, buf = 1, #s, {}
  local prev_group   -- runs of the script group just before (x_a^b stacks b over a)
  local function flush ()
    if #buf > 0 then
      runs[#runs + 1] = {text = table.concat(buf), scale = scale, rise = rise, font = 2}
      buf = {}
    end
  end
  local function group (j)   -- returns text of a group starting at j and the next index
    if s:sub(j, j) == "{" then
      local depth, k = 1, j + 1
      while k <= n and depth > 0 do
        local c = s:sub(k, k)
        if c == "{" then depth = depth + 1 elseif c == "}" then depth = depth - 1 end
        k = k + 1
      end
      return s:sub(j + 1, k - 2), k
    elseif s:sub(j, j) == "\\" then
      local cmd = s:match("^\\[%a]+", j) or s:sub(j, j + 1)
      return cmd, j + #cmd
    else
      local c = s:match("^[%z\1-\127\194-\244][\128-\191]*", j) or s:sub(j, j)
      return c, j + #c
    end
  end
  while i <= n do
    local c = s:sub(i, i)
    if c == "^" or c == "_" then
      flush()
      local g, j = group(i + 1)
      local r = rise + (c == "^" and 0.45 or -0.2) * scale
      local gr = {}
      parse_math(g, gr, scale * 0.7, r)
      if prev_group and #gr > 0 then
        -- a sub- and a superscript on the same base: start this one where
        -- the previous began, and continue after the wider of the two
        local wp = core.text_size(prev_group, 100) / 100
        local wn = core.text_size(gr, 100) / 100
        gr[1].dx = (gr[1].dx or 0) - wp
        for _, x in ipairs(gr) do runs[#runs + 1] = x end
        if wn < wp then runs[#runs + 1] = {text = "", scale = scale, rise = rise, font = 0, dx = wp - wn} end
        prev_group = nil
      else
        for _, x in ipairs(gr) do runs[#runs + 1] = x end
        prev_group = gr
      end
      i = j
    elseif c == "\\" then
      prev_group = nil
      local cmd = s:match("^\\(%a+)", i)
      if cmd then
        local rep = GREEK[cmd]
        buf[#buf + 1] = rep or cmd
        i = i + 1 + #cmd
      else
        local sym = s:sub(i + 1, i + 1)
        buf[#buf + 1] = GREEK[sym] or sym
        i = i + 2
      end
    elseif c == "{" or c == "}" then
      i = i + 1
    elseif c == "-" then
      prev_group = nil
      buf[#buf + 1] = MINUS; i = i + 1
    else
      prev_group = nil
      local ch = s:match("^[%z\1-\127\194-\244][\128-\191]*", i) or c
      if ch:match("^[%d%p ]$") or ch == MINUS then
        -- digits and punctuation upright, letters oblique (as TeX)
        flush()
        runs[#runs + 1] = {text = ch, scale = scale, rise = rise, font = 0}
      else
        buf[#buf + 1] = ch
      end
      i = i + #ch
    end
  end
  flush()
end

-- M.runs(s): a plain string, or a list of runs when s contains $...$.
function M.runs (s)
  s = tostring(s)
  if not s:find("$", 1, true) then return s end
  local runs, pos = {}, 1
  while true do
    local a = s:find("$", pos, true)
    local b = a and s:find("$", a + 1, true)
    if not b then
      if pos <= #s then runs[#runs + 1] = {text = s:sub(pos), scale = 1, rise = 0, font = 0} end
      break
    end
    if a > pos then runs[#runs + 1] = {text = s:sub(pos, a - 1), scale = 1, rise = 0, font = 0} end
    parse_math(s:sub(a + 1, b - 1), runs, 1, 0)
    pos = b + 1
  end
  -- merge neighbours with the same style so kerning stays natural
  local out = {}
  for _, r in ipairs(runs) do
    local p = out[#out]
    if p and p.scale == r.scale and p.rise == r.rise and p.font == r.font and not r.dx then p.text = p.text .. r.text
    else out[#out + 1] = r end
  end
  return out
end

-- =====}

-- {===== linear axes

-- matplotlib's AutoLocator: MaxNLocator(nbins='auto', steps=[1, 2, 2.5, 5, 10]).
-- nbins comes from the axis length in points: length / (3 * fontsize) for x,
-- length / (2 * fontsize) for y, clipped to 1..9.
function M.nbins (length_pt, is_x, fontsize_pt)
  local size = (fontsize_pt or 10) * (is_x and 3 or 2)
  local n = floor(length_pt / size)
  return math.max(1, math.min(n, 9))
end

function M.linear_ticks (vmin, vmax, nbins)
  local lo, hi = math.min(vmin, vmax), math.max(vmin, vmax)
  return core.ticks(lo, hi, nbins, 2, false)
end

-- Keeps ticks inside [a, b] with matplotlib's small tolerance.
function M.inside (ticks, a, b)
  local lo, hi = math.min(a, b), math.max(a, b)
  local eps = (hi - lo) * 1e-10
  local out = {}
  for _, t in ipairs(ticks) do if t >= lo - eps and t <= hi + eps then out[#out + 1] = t end end
  return out
end

local function fmt_minus (s) return (s:gsub("^%-", MINUS)) end

-- ScalarFormatter: offset, order of magnitude (sci notation outside 1e-5..1e6)
-- and the number of decimals that tells the ticks apart.
-- Returns labels and an offset text ("" when none).
function M.scalar_labels (locs, vmin, vmax)
  local lo_v, hi_v = math.min(vmin, vmax), math.max(vmin, vmax)
  local offset = 0
  if #locs > 0 then
    local lmin, lmax = math.huge, -math.huge
    for _, t in ipairs(locs) do lmin = math.min(lmin, t); lmax = math.max(lmax, t) end
    if not (lmin == lmax or (lmin <= 0 and 0 <= lmax)) then
      local amin, amax = math.min(abs(lmin), abs(lmax)), math.max(abs(lmin), abs(lmax))
      local sign = lmin < 0 and -1 or 1
      local oom_max = ceil(log10(amax))
      local oom = oom_max
      while floor(amin / 10 ^ oom) == floor(amax / 10 ^ oom) and oom > -400 do oom = oom - 1 end
      oom = oom + 1
      if (amax - amin) / 10 ^ oom <= 1e-2 then
        oom = oom_max
        while not (amax - amin >= 10 ^ oom) and oom > -400 do oom = oom - 1 end
        oom = oom + 1
      end
      if floor(amax / 10 ^ oom) >= 10 ^ 3 then offset = sign * floor(amax / 10 ^ oom) * 10 ^ oom end
    end
  end
  -- order of magnitude
  local oom = 0
  if offset ~= 0 then
    oom = floor(log10(hi_v - lo_v))
  else
    local val = 0
    for _, t in ipairs(locs) do val = math.max(val, abs(t)) end
    oom = val == 0 and 0 or floor(log10(val))
  end
  local order = (oom <= -5 or oom >= 6) and oom or 0
  -- decimals
  local all = {}
  for _, t in ipairs(locs) do all[#all + 1] = (t - offset) / 10 ^ order end
  -- matplotlib adds the view limits only when there are fewer than 2 ticks
  local vv = {(lo_v - offset) / 10 ^ order, (hi_v - offset) / 10 ^ order}
  local scaled = {}
  for _, t in ipairs(all) do scaled[#scaled + 1] = t end
  if #locs < 2 then scaled[#scaled + 1] = vv[1]; scaled[#scaled + 1] = vv[2] end
  local mn, mx = math.huge, -math.huge
  for _, t in ipairs(scaled) do mn = math.min(mn, t); mx = math.max(mx, t) end
  local range = mx - mn
  if range == 0 then range = math.max(abs(mn), abs(mx)) end
  if range == 0 then range = 1 end
  local check = all   -- the view limits only widen the range, not the rounding check
  local room = floor(log10(range))
  local sig = math.max(0, 3 - room)
  local thresh = 1e-3 * 10 ^ room
  while sig >= 0 do
    local worst = 0
    for _, t in ipairs(check) do
      local r = tonumber(("%." .. sig .. "f"):format(t))
      worst = math.max(worst, abs(t - r))
    end
    if worst < thresh then sig = sig - 1 else break end
  end
  sig = sig + 1
  local labels = {}
  for i, t in ipairs(all) do
    local s = ("%." .. sig .. "f"):format(t)
    if tonumber(s) == 0 then s = s:gsub("^%-", "") end
    labels[i] = fmt_minus(s)
  end
  local otext = ""
  if order ~= 0 and offset ~= 0 then
    otext = "$\\times10^{" .. order .. "}$" .. (offset > 0 and "+" or MINUS) .. M.short_num(abs(offset))
  elseif order ~= 0 then
    otext = "$\\times10^{" .. order .. "}$"
  elseif offset ~= 0 then
    otext = (offset > 0 and "+" or MINUS) .. M.short_num(abs(offset))
  end
  return labels, otext
end

function M.short_num (v)
  local s = ("%.12g"):format(v)
  local m, e = s:match("^(.-)e%+?(%-?%d+)$")
  if m then return m .. "e" .. tonumber(e) end
  return s
end

-- =====}

-- {===== log axes: decades (LogLocator base 10) and minor ticks 2..9

function M.log_ticks (vmin, vmax, numticks)
  local lo, hi = math.min(vmin, vmax), math.max(vmin, vmax)
  numticks = math.max(2, math.min(numticks or 9, 9))
  -- log(v)/log(10) exactly as matplotlib computes it: log10 would round
  -- differently at decades (log(0.01)/log(10) = -1.9999999999999996)
  local l10 = math.log(10)
  local lmin, lmax = math.log(lo) / l10, math.log(hi) / l10
  local numdec = floor(lmax) - ceil(lmin)
  local stride = (numdec + 1) // numticks + 1   -- matplotlib 3.6, classic mode off
  if stride >= numdec then stride = math.max(1, numdec - 1) end
  local majors = {}
  local d = floor(lmin) - stride
  while d < ceil(lmax) + 2 * stride do
    majors[#majors + 1] = 10.0 ^ d
    d = d + stride
  end
  -- minor ticks (subs 2..9) only when every decade has a major tick
  local minors = {}
  if numdec <= 10 and stride == 1 then
    for e = floor(lmin) - 1, ceil(lmax) + 1 do
      for s = 2, 9 do minors[#minors + 1] = s * 10.0 ^ e end
    end
  end
  return majors, minors, stride
end

-- "10^{n}" labels for decades; for spans under a decade, plain numbers.
function M.log_label (v)
  local e = log10(v)
  local r = floor(e + 0.5)
  if abs(e - r) < 1e-9 then
    return M.runs("$10^{" .. (r < 0 and "-" .. -r or tostring(r)) .. "}$")
  end
  return fmt_minus(("%g"):format(v))
end

-- =====}

-- {===== symlog axes

function M.symlog_ticks (vmin, vmax, linthresh)
  local lo, hi = math.min(vmin, vmax), math.max(vmin, vmax)
  local t = {}
  local base_e = floor(log10(linthresh) + 1e-9)
  local function side (sign, limit)
    local e = base_e
    while 10 ^ e <= limit * (1 + 1e-9) do
      t[#t + 1] = sign * 10 ^ e
      e = e + 1
    end
  end
  if lo < 0 then side(-1, -lo) end
  if lo <= 0 and hi >= 0 then t[#t + 1] = 0 end
  if hi > 0 then side(1, hi) end
  table.sort(t)
  -- thin out when crowded
  if #t > 11 then
    local k = ceil(#t / 9)
    local out = {}
    for i, v in ipairs(t) do if v == 0 or (i % k == 0) then out[#out + 1] = v end end
    t = out
  end
  return t
end

function M.symlog_label (v)
  if v == 0 then return "0" end
  local e = floor(log10(abs(v)) + 0.5)
  if abs(abs(v) - 10 ^ e) < 1e-9 * abs(v) then
    return M.runs("$" .. (v < 0 and "-" or "") .. "10^{" .. e .. "}$")
  end
  return fmt_minus(("%g"):format(v))
end

-- =====}

-- {===== dates: values are nanoseconds since 1970-01-01 (datetime64[ns])

local NS = 1e9
local function days_from_civil (y, m, d)
  y = m <= 2 and y - 1 or y
  local era = floor(y / 400)
  local yoe = y - era * 400
  local doy = floor((153 * (m + (m > 2 and -3 or 9)) + 2) / 5) + d - 1
  local doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end
local function civil_from_days (z)
  z = z + 719468
  local era = floor(z / 146097)
  local doe = z - era * 146097
  local yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100))
  local mp = floor((5 * doy + 2) / 153)
  local d = doy - floor((153 * mp + 2) / 5) + 1
  local m = mp + (mp < 10 and 3 or -9)
  return (m <= 2 and y + 1 or y), m, d
end
M.days_from_civil, M.civil_from_days = days_from_civil, civil_from_days

local function split (ns)
  local s = floor(ns / NS + 1e-6)
  local days = floor(s / 86400)
  local rem = s - days * 86400
  local y, m, d = civil_from_days(days)
  return {year = y, month = m, day = d, hour = floor(rem / 3600), min = floor(rem % 3600 / 60), sec = rem % 60}
end
M.split_time = split

local function make (y, mo, d, h, mi, s)
  return ((days_from_civil(y, mo, d) * 24 + (h or 0)) * 60 + (mi or 0)) * 60 * NS + (s or 0) * NS
end

local function days_in_month (y, m)
  if m == 12 then return days_from_civil(y + 1, 1, 1) - days_from_civil(y, 12, 1) end
  return days_from_civil(y, m + 1, 1) - days_from_civil(y, m, 1)
end

local FREQS = {"year", "month", "day", "hour", "minute", "second"}
local INTERVALS = {
  year = {1, 2, 4, 5, 10, 20, 40, 50, 100, 200, 400, 500, 1000, 2000, 4000, 5000, 10000},
  month = {1, 2, 3, 4, 6}, day = {1, 2, 3, 7, 14, 21}, hour = {1, 2, 3, 4, 6, 12},
  minute = {1, 5, 10, 15, 30}, second = {1, 5, 10, 15, 30},
}
local MAXTICKS = {year = 11, month = 12, day = 11, hour = 12, minute = 11, second = 11}
local FORMATS = {year = "%Y", month = "%Y-%m", day = "%Y-%m-%d", hour = "%m-%d %H",
                 minute = "%d %H:%M", second = "%H:%M:%S"}

-- AutoDateLocator: picks the coarsest unit with at least 5 ticks, the smallest
-- interval giving at most maxticks, and ticks at multiples of it.
-- Returns ticks (ns) and the strftime format AutoDateFormatter would use.
function M.date_ticks (vmin, vmax)
  local lo, hi = math.min(vmin, vmax), math.max(vmin, vmax)
  local a, b = split(lo), split(hi)
  -- relativedelta(b, a)
  local months = (b.year - a.year) * 12 + (b.month - a.month)
  local rest_a = ((a.day * 24 + a.hour) * 60 + a.min) * 60 + a.sec
  local rest_b = ((b.day * 24 + b.hour) * 60 + b.min) * 60 + b.sec
  if rest_b < rest_a then months = months - 1 end
  local years = months // 12
  local tsec = (hi - lo) / NS
  local ndays = floor(tsec / 86400)
  -- the hours/minutes parts of relativedelta
  local rem = tsec - ndays * 86400
  local nums = {years, months, ndays, ndays * 24 + floor(rem / 3600),
                (ndays * 24 + floor(rem / 3600)) * 60 + floor(rem % 3600 / 60), floor(tsec)}
  local freq, interval = "second", 1
  for i, f in ipairs(FREQS) do
    local num = nums[i]
    if num >= 5 then
      local iv = INTERVALS[f]
      interval = iv[#iv]
      for _, k in ipairs(iv) do if num <= k * (MAXTICKS[f] - 1) then interval = k; break end end
      freq = f
      break
    end
    if i == #FREQS then freq, interval = "second", 1 end
  end
  local ticks = {}
  local function add (t) if t >= lo and t <= hi then ticks[#ticks + 1] = t end end
  if freq == "year" then
    local y0 = floor(a.year / interval) * interval
    for y = y0, b.year + interval, interval do add(make(y, 1, 1)) end
  elseif freq == "month" then
    for y = a.year, b.year do
      for mm = 1, 12, interval do add(make(y, mm, 1)) end
    end
  elseif freq == "day" then
    local bydays = {}
    if interval == 14 then bydays = {1, 15} elseif interval == 7 then bydays = {1, 8, 15, 22}
    else for d = 1, 31, interval do bydays[#bydays + 1] = d end end
    local y, m = a.year, a.month
    while y < b.year or (y == b.year and m <= b.month) do
      local dim = days_in_month(y, m)
      for _, d in ipairs(bydays) do if d <= dim then add(make(y, m, d)) end end
      m = m + 1
      if m > 12 then m = 1; y = y + 1 end
    end
  else
    local unit = freq == "hour" and 3600 or freq == "minute" and 60 or 1
    local period = freq == "hour" and 86400 or freq == "minute" and 3600 or 60
    -- ticks at multiples of interval*unit within each period (periods divide days)
    local step = interval * unit * NS
    local start = floor(lo / (period * NS)) * period * NS
    local t = start
    while t <= hi do
      local within = (t - floor(t / (period * NS)) * period * NS)
      if within % step == 0 then add(t) end
      t = t + step
      -- realign at period boundaries (e.g. 24h with 7-hour steps)
      local pstart = floor(t / (period * NS)) * period * NS
      if t - pstart < step and t ~= pstart then t = pstart end
    end
  end
  return ticks, FORMATS[freq], freq, interval
end

local MON = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
function M.strftime (fmt, ns)
  local t = split(ns)
  return (fmt:gsub("%%(%a)", function (c)
    if c == "Y" then return ("%04d"):format(t.year)
    elseif c == "m" then return ("%02d"):format(t.month)
    elseif c == "d" then return ("%02d"):format(t.day)
    elseif c == "H" then return ("%02d"):format(t.hour)
    elseif c == "M" then return ("%02d"):format(t.min)
    elseif c == "S" then return ("%02d"):format(floor(t.sec))
    elseif c == "b" then return MON[t.month]
    end
    return c
  end))
end

-- =====}

return M
