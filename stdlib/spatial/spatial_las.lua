-- spatial_las.lua: spatial.read_las / spatial.write_las, the Lua side of
-- the LAS reader and writer (C in stdlib/spatial/spatial_las.c, kernels/spatial/las.c).
local np = require "geolab.array"

return function(spatial, core)
  local check_options = spatial._check_options

  local Las = {}
  Las.__methods = Las   -- REPL completion; Las.__index is below
  Las.__name = "spatial.LasData"

  function Las:__tostring()
    local h = self.header
    return ("LasData(version %s, point format %d, %d points)"):format(h.version, h.point_format, h.point_count)
  end

  -- las:xyz() -> (n, 3) float64 array of the scaled coordinates
  function Las:xyz()
    return np.stack({self.x, self.y, self.z}, 1)
  end

  -- spatial.read_las(path) -> a table with every point field as a 1-D array
  -- (x, y, z scaled; X, Y, Z raw; intensity, return_number, number_of_returns,
  -- classification, scan_angle (degrees), user_data, point_source_id, flags,
  -- gps_time, red/green/blue, nir when the format has them, extra_bytes as an
  -- (n, k) uint8 array), `header` (a table of header fields), `vlrs`, `evlrs`.
  -- No options: a table is still checked, so that a keyword carried over
  -- from laspy or another reader is refused rather than ignored.
  function spatial.read_las(path, opts)
    if type(path) ~= "string" then error("spatial.read_las: expected a file name, got " .. type(path), 2) end
    check_options(opts, {}, "spatial.read_las")
    local header, vlrs, evlrs, cols = core.las_read(path)
    cols.header, cols.vlrs, cols.evlrs = header, vlrs, evlrs
    cols.point_format, cols.version = header.point_format, header.version
    return setmetatable(cols, Las)
  end

  local fields = {"intensity", "return_number", "number_of_returns", "classification", "user_data",
    "point_source_id", "scan_angle", "gps_time", "red", "green", "blue", "nir", "synthetic", "key_point",
    "withheld", "overlap", "scanner_channel", "scan_direction_flag", "edge_of_flight_line"}

  -- Strict for user code, as laspy: las.intensty suggests 'intensity', and a
  -- field this point format lacks (las.nir of format 3) says so, with the
  -- probe that works; module code still reads a missing field as nil.
  local util = require "geolab.util"
  local optional = {extra_bytes = true}
  for _, f in ipairs(fields) do optional[f] = true end
  function Las.__index(las, k)
    local v = Las[k]
    if v ~= nil or type(k) ~= "string" or k:sub(1, 1) == "_" or not util.user_read(2) then return v end
    if optional[k] then
      error(("LasData: point format %s has no field '%s' (test with rawget(las, '%s'))"):format(
        tostring(rawget(las, "point_format")), k, k), 2)
    end
    util.no_member(las, Las, "LasData", k, 2)
  end

  -- spatial.write_las(path, points, {version="1.2", point_format=, scale={.001,.001,.001}, offset=})
  -- points: a table of columns (x, y, z required; any field read_las returns)
  -- or the result of read_las. The point format defaults to the smallest that
  -- holds the given fields (0-3, or 6-8 for version 1.4).
  function spatial.write_las(path, pts, opts)
    local fn = "spatial.write_las"
    opts = check_options(opts, {"version", "point_format", "scale", "offset", "system_identifier",
      "generating_software", "file_source_id"}, fn)
    if type(pts) ~= "table" then error(fn .. ": expected a table of columns (x, y, z, ...)", 2) end
    if pts.x == nil or pts.y == nil or pts.z == nil then error(fn .. ": the points need 'x', 'y' and 'z' columns", 2) end
    local src = pts.header
    local version = opts.version or (src and src.version) or "1.2"
    local major, minor = tostring(version):match("^(%d)%.(%d)$")
    minor = tonumber(minor)
    if major ~= "1" or not minor or minor > 4 then error(fn .. ": version must be '1.0' to '1.4', got " .. tostring(version), 2) end
    local cols = {}
    for _, k in ipairs{"x", "y", "z"} do
      local v = pts[k]
      if type(v) == "table" then v = np.array(v, "float64") end
      cols[k] = v
    end
    for _, k in ipairs(fields) do
      local v = pts[k]
      if type(v) == "table" then v = np.array(v) end
      cols[k] = v
    end
    local gps, rgb, nir = cols.gps_time ~= nil, cols.red ~= nil, cols.nir ~= nil
    local fmt = opts.point_format
    if not fmt and src then
      fmt = ({[4] = 1, [5] = 3, [9] = 6, [10] = 8})[src.point_format] or src.point_format
      if minor < 4 and fmt > 5 then fmt = nil end
    end
    if not fmt then
      if minor >= 4 then fmt = nir and 8 or rgb and 7 or 6
      else fmt = (rgb and gps) and 3 or rgb and 2 or gps and 1 or 0 end
    end
    if math.type(fmt) ~= "integer" then error(fn .. ": point_format must be an integer", 2) end
    if fmt > 10 or fmt < 0 then error(fn .. ": unsupported point format " .. fmt, 2) end
    if minor < 4 and fmt > 5 then error(("%s: point format %d needs version 1.4"):format(fn, fmt), 2) end
    if cols.return_number == nil then cols.return_number = np.ones({#cols.x}, {dtype = "uint8"}) end
    if cols.number_of_returns == nil then cols.number_of_returns = np.ones({#cols.x}, {dtype = "uint8"}) end
    local scale = opts.scale or (src and src.scale) or {0.001, 0.001, 0.001}
    if type(scale) == "number" then scale = {scale, scale, scale} end
    local offset = opts.offset or (src and src.offset)
    if not offset then
      offset = {}
      for i, k in ipairs{"x", "y", "z"} do
        local m = #cols[k] > 0 and cols[k]:min() or 0
        offset[i] = m == m and math.floor(m) or 0
      end
    end
    return core.las_write(path, cols, {version_minor = minor, point_format = fmt, scale = scale,
      offset = offset, system_identifier = opts.system_identifier or "geolab",
      generating_software = opts.generating_software or "geolab",
      file_source_id = opts.file_source_id or 0,
      -- a fixed date keeps files reproducible; the header date is the day of year
      creation_day = src and src.creation_day or 1, creation_year = src and src.creation_year or 2026})
  end
end
