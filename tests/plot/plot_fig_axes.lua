-- plot_fig_axes.lua: fig.axes lists every axes in the order made, colorbar
-- axes included, as matplotlib 3.6 lists them (checked with /usr/bin/python3:
-- subplots(1, 2), colorbar of the first, add_subplot(2, 2, 4), twinx of the
-- second give [a1, a2, <colorbar>, a3, twin]). Before, colorbars were missing
-- from fig.axes, so fig.axes[#fig.axes] was not matplotlib's fig.axes[-1].
local T = require "testlib"

local fig, axs = plt.subplots(1, 2)
local a1, a2 = axs[1], axs[2]
local im = a1:imshow(np.array{{1, 2}, {3, 4}})
local cb = fig:colorbar(im, {ax = a1})
local a3 = fig:add_subplot(2, 2, 4)
local tw = a2:twinx()
local all = fig.axes
T.eq(#all, 5)
T.ok(all[1] == a1 and all[2] == a2 and all[3] == cb.ax and all[4] == a3 and all[5] == tw, "matplotlib's order")
T.eq(cb.ax:get_label(), "<colorbar>")
T.eq(tostring(fig), "<Figure size 640x480 with 5 Axes>")
-- the colorbar axes set what the colorbar draws, and refuse the rest by name
cb.ax:set_ylabel("depth (m)")
T.eq(cb.label, "depth (m)")
T.err("colorbar Axes has no method or attribute 'plot'", function() return cb.ax:plot({1}, {1}) end)
-- a fresh list each time: changing it does not change the figure
all[6] = a1
T.eq(#fig.axes, 5)
-- the figure still draws and saves with them
local out = T.tmp("fig_axes.png")
fig:savefig(out)
local f = io.open(out, "rb")
T.eq(f:read(8), "\137PNG\r\n\26\n")
f:close()
-- plt.colorbar on the current axes, and clf
local fig2, ax = plt.subplots()
local sc = ax:scatter({1, 2}, {1, 2}, {c = {1, 2}})
plt.colorbar(sc)
T.eq(#fig2.axes, 2)
T.eq(fig2.axes[2]:get_label(), "<colorbar>")
T.ok(plt.gca() == ax, "the colorbar axes do not become current")
fig2:clf()
T.eq(#fig2.axes, 0)
plt.close("all")

-- figure numbers and plt.close as matplotlib 3.6 (plt.close() closes only the
-- current figure; it used to close all of them)
do
  local f1, f2 = plt.figure(), plt.figure()
  T.eq({f1.number, f2.number}, {1, 2}, "numbered from 1")
  plt.close()
  T.ok(plt.gcf() == f1, "plt.close() closed the current figure only; the previous one is current")
  local f5 = plt.figure{num = 5}
  T.eq({f5.number, plt.figure().number}, {5, 6}, "num=, then one more than the largest")
  T.ok(plt.figure{num = 1} == f1 and plt.gcf() == f1, "num= of an open figure makes it current")
  plt.close(5)
  plt.close(99)   -- no such figure: ignored, as matplotlib
  local left = {}
  for _, f in ipairs(plt._figures()) do left[#left + 1] = f.number end
  T.eq(left, {1, 6}, "plt.close(n) closes figure n")
  plt.close(f1)
  T.eq(#plt._figures(), 1)
  T.err("plt.close: expected a figure, a figure number or 'all', got 'every'", plt.close, "every")
  T.err("plt.figure: num must be a positive integer", plt.figure, {num = 0})
  plt.close("all")
  T.eq(#plt._figures(), 0)
  T.eq(plt.figure().number, 1, "numbers start again at 1 when none is open")
  plt.close("all")
end
T.done()
