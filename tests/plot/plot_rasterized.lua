-- plot_rasterized.lua: rasterized = true (matplotlib's Artist.set_rasterized)
-- turns an artist into one image at the figure's dpi inside SVG and PDF
-- files, leaves the other artists vector, and changes nothing in PNG output.
local T = require "testlib"

local rng = np.random.Generator(4)
local x, y = rng:normal(0, 1, {5000}), rng:normal(0, 1, {5000})

local function figure(r, opts)
  local fig, ax = plt.subplots({figsize = {4, 3}})
  ax:scatter(x, y, {s = 2, rasterized = r})
  ax:plot({-2, 2}, {-2, 2}, {color = "r", lw = 3})
  ax:set_title("points")
  return fig
end
local function read(p) local f = assert(io.open(p, "rb")); local s = f:read("a"); f:close(); return s end
local function count(s, pat) local n = 0; for _ in s:gmatch(pat) do n = n + 1 end return n end
-- width and height of the first PNG embedded in an SVG (its IHDR)
local function svg_image_size(s)
  local w, h = s:match('<image[^>]- width="(%d+)" height="(%d+)"')
  return tonumber(w), tonumber(h)
end

local svg = {}
for _, r in ipairs{false, true} do
  local fig = figure(r)
  local p = T.tmp(("rasterized_%s.svg"):format(r))
  fig:savefig(p)
  svg[r] = read(p)
  fig:savefig(T.tmp(("rasterized_%s.png"):format(r)))
  fig:savefig(T.tmp(("rasterized_%s.pdf"):format(r)))
  plt.close(fig)
end
T.eq(count(svg[false], "<image"), 0, "vector scatter: no image")
T.eq(count(svg[true], "<image"), 1, "rasterized scatter: one image")
T.ok(#svg[true] * 20 < #svg[false], ("rasterized SVG is small: %d vs %d bytes"):format(#svg[true], #svg[false]))
-- the line stays a vector path (3 px wide red stroke)
T.ok(svg[true]:find("stroke:rgb(100%,0%,0%)", 1, true), "the line is still vector")
-- the image covers the axes at the figure's dpi: 4x3 in at 100 dpi, axes ~ 0.78 x 0.77 of it
local w, h = svg_image_size(svg[true])
T.ok(w and w > 250 and w <= 400 and h > 150 and h <= 300, ("image %sx%s pixels at 100 dpi"):format(w, h))
local fig = figure(true)
local p2 = T.tmp("rasterized_dpi200.svg")
fig:savefig(p2, {dpi = 200})
plt.close(fig)
local w2, h2 = svg_image_size(read(p2))
T.ok(math.abs(w2 - 2 * w) <= 2 and math.abs(h2 - 2 * h) <= 2, ("dpi 200 doubles the image: %sx%s"):format(w2, h2))
-- PDF: an image XObject only when rasterized
local pdf_r, pdf_v = read(T.tmp("rasterized_true.pdf")), read(T.tmp("rasterized_false.pdf"))
T.ok(pdf_r:find("/Subtype /Image", 1, true), "rasterized PDF holds an image")
T.ok(not pdf_v:find("/Subtype /Image", 1, true), "vector PDF holds none")
T.ok(#pdf_r * 3 < #pdf_v, ("rasterized PDF is small: %d vs %d bytes"):format(#pdf_r, #pdf_v))
-- PNG output is the same picture either way
T.eq(read(T.tmp("rasterized_true.png")) == read(T.tmp("rasterized_false.png")), true, "PNG unchanged")
-- other kinds take the option; a bad value names the method
local fig3, ax3 = plt.subplots()
ax3:imshow({{1, 2}, {3, 4}}, {rasterized = true})
ax3:hist({1, 2, 2, 3}, {rasterized = true})
ax3:fill_between({1, 2, 3}, {1, 2, 1}, {rasterized = true})
local n = 0
for _, a in ipairs(ax3.artists) do if a.rasterized then n = n + 1 end end
T.eq(n, #ax3.artists, "every artist added by those calls is marked")
local p3 = T.tmp("rasterized_kinds.svg")
fig3:savefig(p3)
T.eq(count(read(p3), "<image"), 3, "one image per rasterized artist")
plt.close(fig3)
T.err("scatter: rasterized must be true or false, got string", function()
  local _, a = plt.subplots(); a:scatter({1}, {1}, {rasterized = "yes"}) end)
T.done()
