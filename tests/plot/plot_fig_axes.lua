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
T.done()
