-- gallery.lua: runs every gallery example into the build folder
-- (build/testtmp/gallery/) and checks that each image is byte-for-byte the
-- committed docs/gallery/NAME.png and that docs/gallery.md is exactly the page
-- these examples make. It never writes the source tree, except when asked:
--   build/geolab tests/plot/gallery.lua --regenerate
-- (from the source root) rewrites docs/gallery/*.png and docs/gallery.md;
-- look at the new pictures before committing them (docs/dev/conventions.md).
local T = require "testlib"

local G = {
{"line", "Lines: styles, markers, colours, legend", [[
local x = np.linspace(0, 10, 200)
local fig, ax = plt.subplots({figsize = {6, 3.5}, dpi = 72})
ax:plot(x, np.sin(x), {label = "sin"})
ax:plot(x, np.cos(x), "--", {label = "cos", lw = 2})
ax:plot(x, np.sin(x) * 0.5, ":", {color = "k", label = "dotted"})
ax:plot(x[{{1, -1, 10}}], np.cos(x[{{1, -1, 10}}]) * 0.5, "-.o", {color = "#d62728", ms = 4, label = "dash-dot + markers"})
ax:set_xlabel("time (s)"); ax:set_ylabel("amplitude (µm)")
ax:set_title("Lines"); ax:grid(true); ax:legend()
fig:savefig("docs/gallery/line.png")
]]},
{"scatter", "Scatter: colours through a colormap, sizes, colorbar", [[
local rng = np.random.Generator(1)
local x, y = rng:normal(0, 1, {300}), rng:normal(0, 1, {300})
local fig, ax = plt.subplots({figsize = {6, 4}, dpi = 72})
local sc = ax:scatter(x, y, {c = x * y, s = (x * x + y * y) * 20 + 5, cmap = "coolwarm",
                             vmin = -2, vmax = 2, alpha = 0.8, edgecolors = "k"})
fig:colorbar(sc, {ax = ax, label = "x·y"})
ax:set_title("Scatter with a colormap")
fig:savefig("docs/gallery/scatter.png")
]]},
{"hist", "Histograms: several datasets, density, histtype", [[
local rng = np.random.Generator(2)
local a, b = rng:normal(0, 1, {2000}), rng:normal(1.5, 0.7, {2000})
local fig, axs = plt.subplots(1, 2, {figsize = {8, 3.2}, dpi = 72})
axs[1]:hist({a, b}, {bins = 25, label = {"a", "b"}}); axs[1]:legend(); axs[1]:set_title("bar, two datasets")
axs[2]:hist(a, {bins = 30, density = true, histtype = "stepfilled", alpha = 0.5})
axs[2]:hist(b, {bins = 30, density = true, histtype = "step", lw = 2})
axs[2]:set_title("density, step/stepfilled")
fig:savefig("docs/gallery/hist.png")
]]},
{"bar", "Bars: categories, barh, error bars", [[
local fig, axs = plt.subplots(1, 2, {figsize = {8, 3.2}, dpi = 72})
axs[1]:bar({"quartz", "feldspar", "mica", "calcite"}, {42, 31, 12, 15}, {color = {"C0", "C1", "C2", "C3"}, yerr = {3, 2, 1, 2}, capsize = 4})
axs[1]:set_ylabel("%"); axs[1]:set_title("bar")
axs[2]:barh({1, 2, 3}, {5, 3, 7}, {color = "C4"}); axs[2]:set_title("barh")
fig:savefig("docs/gallery/bar.png")
]]},
{"bands", "errorbar, fill_between, axhline, axvline, axhspan", [[
local x = np.linspace(0, 6, 50)
local y = np.sin(x)
local fig, ax = plt.subplots({figsize = {6, 3.5}, dpi = 72})
ax:fill_between(x, y - 0.3, y + 0.3, {alpha = 0.3, label = "±0.3"})
ax:plot(x, y, {label = "model"})
ax:errorbar({1, 2, 3, 4, 5}, {0.9, 0.95, 0.1, -0.8, -1.0}, {yerr = 0.15, fmt = "o", capsize = 3, label = "measured"})
ax:axhline(0, {color = "gray", lw = 1})
ax:axvline(3.14, {color = "k", ls = "--", lw = 1})
ax:axhspan(-1.5, -1.2, {color = "red", alpha = 0.2})
ax:legend({loc = "upper right"})
fig:savefig("docs/gallery/bands.png")
]]},
{"imshow", "imshow with a colormap, extent and colorbar", [[
local x = np.linspace(-3, 3, 60)
local z = {}
for i = 1, 40 do z[i] = {} for j = 1, 60 do local u, v = x[j], (i - 20) / 7; z[i][j] = math.sin(u * 2) * math.cos(v * 2) * math.exp(-(u * u + v * v) / 6) end end
local fig, ax = plt.subplots({figsize = {6, 3.5}, dpi = 72})
local im = ax:imshow(z, {cmap = "RdBu_r", vmin = -1, vmax = 1, extent = {-3, 3, -3, 3}, origin = "lower", aspect = "auto"})
fig:colorbar(im, {ax = ax, label = "anomaly"})
ax:set_xlabel("x (km)"); ax:set_ylabel("y (km)"); ax:set_title("imshow")
fig:savefig("docs/gallery/imshow.png")
]]},
{"contour", "contourf + contour, pcolormesh", [[
local xs = np.linspace(-2, 2, 60)
local Z = {}
for i = 1, 60 do Z[i] = {} for j = 1, 60 do local u, v = xs[j], xs[i]; Z[i][j] = math.exp(-(u - 0.5)^2 - v^2) - 0.7 * math.exp(-(u + 0.8)^2 - (v - 0.5)^2) end end
local fig, axs = plt.subplots(1, 2, {figsize = {9, 3.6}, dpi = 72})
local cs = axs[1]:contourf(xs, xs, Z, {levels = 10, cmap = "viridis"})
axs[1]:contour(xs, xs, Z, {levels = 10, colors = "k", linewidths = 0.6})
fig:colorbar(cs, {ax = axs[1]}); axs[1]:set_title("contourf + contour")
local pm = axs[2]:pcolormesh(xs, xs, Z, {cmap = "magma"})
fig:colorbar(pm, {ax = axs[2]}); axs[2]:set_title("pcolormesh")
fig:savefig("docs/gallery/contour.png")
]]},
{"scales", "log and symlog axes, minor ticks", [[
local x = np.logspace(-1, 4, 100)
local fig, axs = plt.subplots(1, 2, {figsize = {8, 3.2}, dpi = 72})
axs[1]:plot(x, x ^ 1.5, {label = "x^1.5"}); axs[1]:loglog(); axs[1]:set_title("loglog"); axs[1]:grid(true)
local s = np.linspace(-100, 100, 201)
axs[2]:plot(s, s ^ 3); axs[2]:set_yscale("symlog", {linthresh = 10}); axs[2]:set_title("symlog")
fig:savefig("docs/gallery/scales.png")
]]},
{"text", "text, annotate with arrows, math text and Unicode", [[
local x = np.linspace(0, 4 * math.pi, 200)
local fig, ax = plt.subplots({figsize = {6, 3.5}, dpi = 72})
ax:plot(x, np.sin(x) * np.exp(x * -0.2))
ax:annotate("first peak", {math.pi / 2, 0.73}, {xytext = {5, 0.8}, arrowprops = {arrowstyle = "->"}})
ax:text(7, -0.5, "$\\sigma_{xy}^2 = \\alpha\\beta$ (MPa²) at 25 °C", {fontsize = 11})
ax:text(0.02, 0.04, "axes coordinates", {transform = "axes", color = "gray"})
ax:set_title("Déformation — $\\Delta\\epsilon$ vs t (µs)")
fig:savefig("docs/gallery/text.png")
]]},
{"twinx", "twinx, set_xticks with rotated labels, invert_yaxis", [[
local fig, ax = plt.subplots({figsize = {6, 3.5}, dpi = 72})
local depth = {0, 5, 10, 20, 40, 80}
ax:plot({1, 2, 3, 4, 5, 6}, depth, "o-", {color = "C0"}); ax:invert_yaxis(); ax:set_ylabel("depth (m)")
local ax2 = ax:twinx()
ax2:plot({1, 2, 3, 4, 5, 6}, {12, 11, 9, 7, 6, 5.5}, "s--", {color = "C1"}); ax2:set_ylabel("temperature (°C)")
ax:set_xticks({1, 2, 3, 4, 5, 6}, {"BH-01", "BH-02", "BH-03", "BH-04", "BH-05", "BH-06"}, {rotation = 45})
fig:savefig("docs/gallery/twinx.png")
]]},
{"dates", "Date axis from datetimes (nanoseconds since 1970)", [[
local t0 = 1569456000 * 1e9   -- 2019-09-26 00:00
local t, q = {}, {}
for i = 1, 500 do t[i] = t0 + (i - 1) * 600e9; q[i] = 10 + 5 * math.sin(i / 40) + (i % 17) / 10 end
local fig, ax = plt.subplots({figsize = {7, 3}, dpi = 72})
ax:plot(t, q); ax:xaxis_date(); ax:set_ylabel("discharge (m³/s)")
ax:set_title("Date ticks pick hours, days or months as needed")
fig:savefig("docs/gallery/dates.png")
]]},
{"subplots", "subplots with shared axes and suptitle", [[
local x = np.linspace(0, 1, 100)
local fig, axs = plt.subplots(2, 2, {figsize = {7, 5}, dpi = 72, sharex = true, sharey = true})
for r = 1, 2 do for c = 1, 2 do
  local k = (r - 1) * 2 + c
  axs[r][c]:plot(x, np.sin(x * 6.3 * k)); axs[r][c]:set_title("k = " .. k)
end end
fig:suptitle("Shared axes: inner tick labels hidden")
fig:savefig("docs/gallery/subplots.png")
]]},
{"scatter3d", "3-D scatter of a point cloud", [[
local rng = np.random.Generator(3)
local n = 4000
local x, y = rng:uniform(0, 20, {n}), rng:uniform(0, 20, {n})
local z = np.sin(x * 0.3) * 2 + np.cos(y * 0.2) * 1.5 + rng:normal(0, 0.1, {n})
local fig = plt.figure({figsize = {6, 5}, dpi = 72})
local ax = fig:add_subplot(1, 1, 1, {projection = "3d"})
ax:scatter(x, y, z, {c = z, cmap = "terrain", s = 3})
ax:view_init(35, -60)
ax:set_xlabel("E (m)"); ax:set_ylabel("N (m)"); ax:set_zlabel("z (m)")
fig:savefig("docs/gallery/scatter3d.png")
]]},
{"ternary", "Ternary diagram of eigenvalue features", [[
local rng = np.random.Generator(4)
local l1, l2, l3 = rng:uniform(0, 1, {300}), rng:uniform(0, 0.6, {300}), rng:uniform(0, 0.3, {300})
local fig, ax = plt.ternary(l1, l2, l3, {labels = {"linearity", "planarity", "sphericity"}, c = l1, cmap = "viridis", s = 10})
fig:savefig("docs/gallery/ternary.png")
]]},
{"confusion", "Confusion matrix", [[
local cm = {{48, 2, 0, 1}, {3, 37, 5, 0}, {0, 4, 51, 2}, {1, 0, 3, 44}}
local fig, ax = plt.confusion_matrix(cm, {labels = {"ground", "veg", "building", "water"},
                                          normalize = "true", cmap = "RdPu", values_format = ".2f"})
fig:savefig("docs/gallery/confusion.png")
]]},
{"scatter_matrix", "Scatter matrix of columns", [[
local rng = np.random.Generator(5)
local a = rng:normal(0, 1, {400})
local b = a * 0.7 + rng:normal(0, 0.5, {400})
local c = rng:uniform(-2, 2, {400})
local fig = plt.scatter_matrix({{"turbidity", a}, {"SSC", b}, {"T", c}}, {s = 4, figsize = {6, 6}})
fig.dpi = 72
fig:savefig("docs/gallery/scatter_matrix.png")
]]},
{"waveforms", "Multi-trace waveform panel with a shared time axis", [[
local tr = {}
for k = 1, 3 do
  local t = {}
  for i = 1, 2000 do local s = (i - 600 - 80 * k) / 60; t[i] = math.exp(-math.abs(s) / 3) * math.sin(s * 6) * (s > 0 and 1 or 0.05) + 0.02 * math.sin(i * 1.7) end
  tr[k] = t
end
local fig = plt.waveforms(tr, {dt = 0.01, labels = {"FR.OGSM..HHZ", "FR.OGSM..HHN", "FR.OGSM..HHE"}, title = "Event 2019-09-26"})
fig.dpi = 72
fig:savefig("docs/gallery/waveforms.png")
]]},
{"image_grid", "Image grid (digits with titles)", [[
local imgs, titles = {}, {}
for k = 1, 25 do
  local im = {}
  for i = 1, 8 do im[i] = {} for j = 1, 8 do im[i][j] = math.max(0, 1 - math.abs(math.sqrt((i - 4.5)^2 + (j - 4.5)^2) - 1 - k % 3)) end end
  imgs[k], titles[k] = im, "label " .. (k - 1) % 10
end
local fig = plt.image_grid(imgs, {titles = titles, cmap = "gray_r", figsize = {6, 6.6}})
fig.dpi = 72
fig:savefig("docs/gallery/image_grid.png")
]]},
{"boxplot", "boxplot and violinplot (matplotlib's statistics)", [[
local rng = np.random.Generator(6)
local data = {rng:normal(0, 1, {100}), rng:normal(1, 0.5, {100}), rng:exponential(1, {100})}
local fig, axs = plt.subplots(1, 2, {figsize = {8, 3.2}, dpi = 72})
axs[1]:boxplot(data, {labels = {"normal", "narrow", "skewed"}, showmeans = true}); axs[1]:set_title("boxplot")
axs[2]:violinplot(data, {showmedians = true}); axs[2]:set_title("violinplot")
fig:savefig("docs/gallery/boxplot.png")
]]},
{"step", "step, fill_between with where=, axline", [[
local x = np.linspace(0, 10, 21)
local y = np.sin(x)
local fig, ax = plt.subplots({figsize = {6, 3.5}, dpi = 72})
ax:step(x, y, {where = "mid", label = "step (mid)"})
ax:fill_between(x, 0, y, {where = y:gt(0), interpolate = true, alpha = 0.3, color = "C2", label = "y > 0"})
ax:axline({0, -1}, {slope = 0.2, color = "k", ls = "--", label = "axline"})
ax:legend({loc = "upper left", ncol = 3}); ax:grid({axis = "y"})
fig:savefig("docs/gallery/step.png")
]]},
{"patches", "Patches: Polygon, Rectangle, Circle, fill; matshow", [[
local fig, axs = plt.subplots(1, 2, {figsize = {8, 3.5}, dpi = 72})
local ax = axs[1]
ax:add_patch(plt.Rectangle({1, 1}, 3, 2, {facecolor = "C1", alpha = 0.6, label = "Rectangle"}))
ax:add_patch(plt.Circle({6, 5}, 2, {fill = false, lw = 2, label = "Circle"}))
ax:add_patch(plt.Polygon({{1, 5}, {3, 8}, {4, 5}}, {color = "C2", label = "Polygon"}))
ax:fill({6, 9, 9}, {0, 1, 3}, "C4", {label = "fill"})
ax:set_aspect("equal"); ax:legend({loc = "upper left", fontsize = 8})
axs[2]:matshow(np.arange(20):reshape(4, 5), {cmap = "Blues"}); axs[2]:set_title("matshow")
fig:savefig("docs/gallery/patches.png")
]]},
{"triangulation", "Triangulation: Delaunay, triplot, tripcolor", [[
local rng = np.random.Generator(7)
local x, y = rng:uniform(0, 1, {150}), rng:uniform(0, 1, {150})
local tri = plt.Triangulation(x, y)
local fig, axs = plt.subplots(1, 2, {figsize = {8, 3.5}, dpi = 72})
axs[1]:triplot(tri, "ko-", {ms = 2, lw = 0.5}); axs[1]:set_title("triplot")
local tc = axs[2]:tripcolor(tri, np.sin(x * 6) * np.cos(y * 6), {cmap = "RdBu_r"})
fig:colorbar(tc, {ax = axs[2]}); axs[2]:set_title("tripcolor")
fig:savefig("docs/gallery/triangulation.png")
]]},
{"styles", "Styles: plt.style.use with ggplot (also seaborn-v0_8, bmh, classic, dark_background)", [[
local rng = np.random.Generator(8)
local x = np.linspace(0, 10, 50)
plt.style.use("ggplot")
local fig, axs = plt.subplots(1, 2, {figsize = {8, 3.2}, dpi = 72})
for k = 1, 4 do axs[1]:plot(x, np.sin(x + k / 2) * k, {label = "k=" .. k}) end
axs[1]:legend({fontsize = 8, loc = "lower left", ncol = 2}); axs[1]:set_title("ggplot lines")
axs[2]:hist(rng:normal(0, 1, {500}), {bins = 20}); axs[2]:set_title("ggplot hist")
fig:savefig("docs/gallery/styles.png")
plt.style.use("default")
]]},
{"colormaps", "Colormaps", [[
local names = {"viridis", "plasma", "inferno", "magma", "cividis", "gray", "RdPu", "Blues", "Reds", "coolwarm", "RdBu", "seismic", "tab10", "tab20"}
local fig, axs = plt.subplots(#names, 1, {figsize = {6, 5}, dpi = 72})
local grad = {{}}
for j = 1, 256 do grad[1][j] = (j - 1) / 255 end
for i, n in ipairs(names) do
  axs[i]:imshow(grad, {cmap = n, aspect = "auto"}); axs[i]:axis("off")
  axs[i]:text(-0.01, 0.5, n, {transform = "axes", ha = "right", va = "center", fontsize = 9})
end
fig:savefig("docs/gallery/colormaps.png")
]]},
}

local regenerate = arg[1] == "--regenerate"
if arg[1] and not regenerate then error("usage: geolab tests/plot/gallery.lua [--regenerate]") end
local outdir = regenerate and "docs/gallery" or T.tmp("gallery")
os.execute("rm -rf '" .. T.tmp("gallery") .. "'")
os.execute("mkdir -p '" .. outdir .. "'")


local md = {
  "# Gallery\n\n",
  "Every plot type of `plt`, each with the script that drew it. The images are\n",
  "checked byte for byte by `tests/plot/gallery.lua` (run by ctest), and this page\n",
  "is written by `build/geolab tests/plot/gallery.lua --regenerate`, so code and\n",
  "pictures always agree. See [plotting.md](plotting.md) for the reference.\n\n",
}
local env = setmetatable({}, {__index = _G})
local seen = {}
for _, g in ipairs(G) do
  local name, title, code = g[1], g[2], g[3]
  T.ok(not seen[name], name .. ": example names are unique")
  seen[name] = true
  local target = '"docs/gallery/' .. name .. '.png"'
  T.ok(code:find(target, 1, true), name .. ": saves to " .. target)
  -- the page shows the code as users run it; here it writes into outdir
  local run = code:gsub('"docs/gallery/', '"' .. outdir .. '/')
  local f, err = load(run, "=gallery/" .. name, "t", env)
  T.ok(f ~= nil, name .. " compiles: " .. tostring(err))
  if f then
    local ok, e = pcall(f)
    T.ok(ok, name .. " runs: " .. tostring(e))
    plt.close("all")
    local path = outdir .. "/" .. name .. ".png"
    local w, h, px = plt._core.read_png(path)
    T.ok(w and w > 100 and h > 100 and #px == w * h * 4, name .. ": valid PNG")
    local got = T.read(path) or ""
    T.ok(#got < 100 * 1024, name .. ": PNG under 100 KB (" .. #got .. " bytes)")
    if not regenerate then
      local want = T.read("docs/gallery/" .. name .. ".png")
      T.ok(want ~= nil, name .. ": docs/gallery/" .. name .. ".png is committed")
      T.ok(want == nil or got == want, name .. ": " .. path .. " differs from docs/gallery/" .. name
           .. ".png (if the change is intended: geolab tests/plot/gallery.lua --regenerate)")
    end
  end
  md[#md + 1] = ("## %s\n\n![%s](gallery/%s.png)\n\n```lua\n%s```\n\n"):format(title, name, name, code)
end
md = table.concat(md)
if regenerate then
  local out = assert(io.open("docs/gallery.md", "w"))
  out:write(md)
  out:close()
  print("wrote docs/gallery.md and docs/gallery/*.png")
else
  T.ok(T.read("docs/gallery.md") == md, "docs/gallery.md is the page these examples make"
       .. " (geolab tests/plot/gallery.lua --regenerate)")
end
T.done()
