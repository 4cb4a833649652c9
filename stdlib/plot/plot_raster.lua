-- plot_raster.lua: rasterized=true on artists (matplotlib's Artist.set_rasterized).
-- Every axes method whose options table takes `rasterized` marks the
-- artists it adds; the renderer (plot_render.lua draw_artist) draws a marked
-- artist between cv:raster_begin() and cv:raster_end(), so that in SVG/PDF
-- output it becomes one image at the figure's dpi (plot_canvas.c). PNG
-- output is unchanged.
local bare = require("geolab.util").bare

local R = {}

-- The methods that take the option (their *_OPTS sets list it).
local METHODS = {"plot", "step", "loglog", "semilogx", "semilogy", "scatter", "hist", "bar", "barh",
  "errorbar", "fill_between", "fill_betweenx", "axhline", "axvline", "hlines", "vlines", "axhspan",
  "axvspan", "imshow", "matshow", "pcolormesh", "pcolor", "contour", "contourf", "tripcolor",
  "triplot", "tricontour", "tricontourf"}

-- The value of `rasterized` in the call's trailing options table, if any: the
-- last argument that is a plain table holding the key (data lists never do).
local function flag (...)
  for i = select("#", ...), 1, -1 do
    local v = select(i, ...)
    if type(v) == "table" and bare(v) then
      local r = rawget(v, "rasterized")
      if r ~= nil then return r end
      if next(v) ~= nil and rawget(v, 1) == nil then return nil end   -- the options table, without the key
    end
  end
  return nil
end

function R.install (Axes)
  for _, name in ipairs(METHODS) do
    local f = rawget(Axes, name)
    if f then
      Axes[name] = function (self, ...)
        local r = flag(...)
        if r == nil then return f(self, ...) end
        if type(r) ~= "boolean" then
          error(("%s: rasterized must be true or false, got %s"):format(name, type(r)), 2)
        end
        local n0 = #self.artists
        local out = table.pack(f(self, ...))
        for i = n0 + 1, #self.artists do self.artists[i].rasterized = r end
        return table.unpack(out, 1, out.n)
      end
    end
  end
end

return R
