-- plot_fixes.lua: regression tests of plt bugs found by porting the course's
-- notebooks (issue 10): each failed silently or with an internal error.
local T = require "testlib"

-- A 200 x 200 pixel figure whose axes fill it.
local function canvas_fig ()
  local fig = plt.figure {figsize = {2, 2}, dpi = 100}
  local ax = fig:add_axes {0, 0, 1, 1}
  return fig, ax
end
local function rgb (cv, x, y) local r, g, b = cv:pixel(x, y); return {r, g, b} end
local function near (c, ref, tol)
  for i = 1, 3 do if math.abs(c[i] - ref[i]) > (tol or 2) then return false end end
  return true
end
local RED, WHITE = {255, 0, 0}, {255, 255, 255}
local function count (cv, ref, tol)
  local w, h = cv:size()
  local n = 0
  for y = 0, h - 1 do for x = 0, w - 1 do if near(rgb(cv, x, y), ref, tol) then n = n + 1 end end end
  return n
end

-- loglog / semilogx / semilogy draw their data and set the scales
for _, m in ipairs {"loglog", "semilogx", "semilogy"} do
  local fig, ax = canvas_fig()
  local line = ax[m](ax, {1, 10, 100}, {1, 10, 100}, {color = "red", lw = 3})
  T.ok(line ~= nil and line.kind == "line", m .. " returns the line")
  T.eq(#ax.artists, 1, m .. " adds one line")
  T.eq({ax.xscale, ax.yscale}, {m == "semilogy" and "linear" or "log", m == "semilogx" and "linear" or "log"}, m .. " scales")
  T.ok(count(fig:render(), RED, 40) > 100, m .. " draws red pixels")
  plt.close(fig)
end
do   -- a bad call leaves the scales alone
  local fig, ax = canvas_fig()
  T.err("loglog: x and y must have same first dimension", function () ax:loglog({1, 2}, {1, 2, 3}) end)
  T.eq({ax.xscale, ax.yscale, #ax.artists}, {"linear", "linear", 0}, "failed loglog changes nothing")
  ax:loglog()   -- no data: scales only, as before
  T.eq({ax.xscale, ax.yscale}, {"log", "log"}, "loglog() sets both scales")
end

-- set_xlim with Timestamps
do
  local fig, ax = plt.subplots()
  local t0, t1 = pd.Timestamp("2020-01-01"), pd.Timestamp("2020-03-01")
  ax:plot({t0.value, t1.value}, {1, 2})
  ax:set_xlim(t0, pd.Timestamp("2020-02-01"))
  local lo, hi = ax:get_xlim()
  T.eq({lo, hi}, {t0.value, pd.Timestamp("2020-02-01").value}, "set_xlim(Timestamp, Timestamp) sets the limits in ns")
  T.ok(ax.xdate, "Timestamp limits make a date axis")
  ax:set_xlim({t0, t1})
  T.eq({ax:get_xlim()}, {t0.value, t1.value}, "set_xlim{t0, t1}")
  T.err("set_xlim: limits must be numbers or Timestamps, got string '2020-01-01' (use pd.Timestamp",
        function () ax:set_xlim("2020-01-01", "2020-02-01") end)
  plt.close(fig)
end

-- margins{x=} is honoured, and margins() returns them
do
  local fig, ax = plt.subplots()
  ax:plot({0, 10}, {0, 1})
  ax:margins{x = 0.1}
  local lo, hi = ax:get_xlim()
  T.close({lo, hi}, {-1, 11}, 1e-12, 0, "margins{x=0.1}: 10% of the range on each side")
  local ylo, yhi = ax:get_ylim()
  T.close({ylo, yhi}, {-0.05, 1.05}, 1e-12, 0, "y keeps the default 5%")
  T.eq({ax:margins()}, {0.1, 0.05}, "margins() -> x, y")
  ax:margins(0, 0.2)
  T.close({ax:get_xlim()}, {0, 10}, 1e-12, 0, "margins(0, 0.2): x tight")
  T.close({ax:get_ylim()}, {-0.2, 1.2}, 1e-12, 0, "margins(0, 0.2): y 20%")
  local path = T.tmp("margins.png")
  T.eq(fig:savefig(path), path, "savefig after margins works")
  T.err("margins: unknown option 'z'", function () ax:margins{z = 1} end)
  T.err("margins: margin must be a number greater than -0.5", function () ax:margins(-1) end)
  plt.close(fig)
end

-- 3-D axes draw a legend
do
  local fig = plt.figure {figsize = {3, 3}, dpi = 100}
  local ax = fig:add_subplot(1, 1, 1, {projection = "3d"})
  ax:scatter({0, 1}, {0, 1}, {0, 1}, {color = "red", label = "points"})
  local plain = count(fig:render(), RED, 60)
  ax:legend()
  local with = count(fig:render(), RED, 60)
  T.ok(with > plain, ("3-D legend adds a red marker (%d -> %d red pixels)"):format(plain, with))
  plt.close(fig)
end

-- a title ending in a newline: no glyph for "\n", title moved up one line
do
  local function title_pixels (title)
    local fig = plt.figure {figsize = {3, 2}, dpi = 100}
    local ax = fig:add_axes {0.1, 0.1, 0.8, 0.5}   -- box top at pixel row 80
    ax:axis("off")
    ax:set_title(title)
    local cv = fig:render()
    local w = cv:size()
    local rows = {}
    for y = 0, 78 do
      for x = 0, w - 1 do
        local r = cv:pixel(x, y)
        if r < 128 then rows[#rows + 1] = y; break end
      end
    end
    plt.close(fig)
    return rows
  end
  local a, b = title_pixels("Depth"), title_pixels("Depth\n")
  T.ok(#a > 0 and #b > 0, "both titles draw")
  T.ok(b[1] < a[1], "the trailing newline raises the title by a line")
  T.eq(#a, #b, "no extra glyph (same ink height)")
  local w1, a1, d1 = plt._core.text_size("a\nb", 10)
  local w2, a2, d2 = plt._core.text_size("a", 10)
  T.close(a1 - a2, 12, 1e-9, 0, "a second line adds 1.2 font sizes of ascent")
  T.close(d1, d2, 1e-9, 0, "descent is the last line's")
end

-- annotate: matplotlib's keyword form, xytext, textcoords, arrowprops
do
  local fig, ax = canvas_fig()
  ax:set_xlim(0, 10); ax:set_ylim(0, 10)
  local a = ax:annotate("pt", {xy = {0.2, 0.2}})
  T.eq({a.x, a.y, a.s}, {0.2, 0.2, "pt"}, "annotate(s, {xy=}) places the text at xy")
  local path = T.tmp("annotate.png")
  fig:savefig(path)
  ax:annotate("", {5, 5}, {xytext = {1, 5}, arrowprops = {color = "red", lw = 3, arrowstyle = "-|>"}})
  local cv = fig:render()
  T.ok(near(rgb(cv, 60, 100), RED, 40), "the arrow runs from xytext to xy")
  T.ok(near(rgb(cv, 60, 60), WHITE), "nothing above the arrow")
  local o = ax:annotate("o", {xy = {5, 5}, xytext = {10, 20}, textcoords = "offset points"})
  local mx, my = ax:_map("x"), ax:_map("y")
  local px, py = ax:_artist_xy(o, mx, my)
  T.close({px, py}, {100 + 10 * 100 / 72, 100 - 20 * 100 / 72}, 1e-9, 0, "offset points from the annotated point")
  T.err("annotate: xy must be a pair {x, y} of numbers", function () ax:annotate("x", {xytext = {1, 2}}) end)
  T.err("annotate: unknown textcoords 'offset inches'", function () ax:annotate("x", {1, 2}, {textcoords = "offset inches"}) end)
  T.err("annotate: arrowprops: unknown option 'colour' (did you mean 'color'?)",
        function () ax:annotate("x", {1, 2}, {arrowprops = {colour = "r"}}) end)
  T.err("annotate: unknown arrowstyle '=>'", function () ax:annotate("x", {1, 2}, {arrowprops = {arrowstyle = "=>"}}) end)
  plt.close(fig)
end

-- plt.* errors name the plt function; strings are not data
do
  plt.close("all")
  T.err("plt.scatter: data must be an array or a list of numbers, got string 'a'", plt.scatter, "a", "b")
  T.err("plt.plot: unknown option 'colour'", plt.plot, {1, 2}, {colour = "r"})
  T.err("scatter: data must be", function () local _, ax = plt.subplots(); ax:scatter("a", "b") end)
  plt.close("all")
end

T.done()
