-- spatial_las.lua: spatial.read_las on nine LAS files from other writers
-- (tests/fixtures/las, values from gen_las_headers.py), writing,
-- round trips and bad files.
local T = require "testlib"
local dir = "tests/fixtures/las/"

-- file, version, format, record length, points, software, VLRs, EVLRs, gps min,
-- gps max: read from the files by tests/fixtures/las/gen_las_headers.py (struct)
local files = dofile(dir .. "headers.lua")

local function ids(list)
  local t = {}
  for _, v in ipairs(list) do t[#t + 1] = v.user_id .. "/" .. v.record_id end
  return table.concat(t, ",")
end

for _, f in ipairs(files) do
  local las = spatial.read_las(dir .. f[1] .. ".las")
  local h = las.header
  T.eq({h.version, h.point_format, h.point_record_length, h.point_count},
       {f[2], f[3], f[4], f[5]}, f[1] .. " header")
  T.eq(h.generating_software, f[6], f[1] .. " software")
  T.eq(ids(las.vlrs), f[7], f[1] .. " VLRs"); T.eq(ids(las.evlrs), f[8], f[1] .. " EVLRs")
  T.eq(#las.x, f[5])
  T.eq(las.gps_time:min(), f[9], f[1] .. " gps min")   -- the same doubles, read from the same bytes
  T.eq(las.gps_time:max(), f[10], f[1] .. " gps max")
  -- coordinates lie within the header's bounds (to half a scale step)
  for k, c in ipairs{"x", "y", "z"} do
    T.ok(las[c]:min() >= h.mins[k] - h.scale[k] and las[c]:max() <= h.maxs[k] + h.scale[k],
         f[1] .. " " .. c .. " inside header bounds")
  end
  T.ok(tostring(las):find("LasData"), "tostring")
end

-- particular files
local s = spatial.read_las(dir .. "simple.las")
T.eq({s.red.dtype, s.intensity.dtype, s.classification.dtype}, {"int32", "int32", "uint8"})
T.close(s.x[1], 637012.24); T.close(s.y[1], 849028.31); T.close(s.z[1], 431.66)
T.eq(s.header.scale, {0.01, 0.01, 0.01})
T.eq(s:xyz().shape, {1065, 3})
local e = spatial.read_las(dir .. "extrabytes.las")
T.eq(e.extra_bytes.shape, {1065, 27}); T.eq(e.header.extra_bytes, 27)
T.eq(#e.vlrs[1].data, e.vlrs[1].length)
local g = spatial.read_las(dir .. "simple1_4.las")
T.close({g.x:min(), g.x:max(), g.y:min(), g.y:max()}, {1.0, 226.0, 1.0, 100.0}, 1e-12)
T.eq(g.return_number:max(), 0); T.ok(g.red ~= nil and rawget(g, "nir") == nil)
-- a field the point format lacks, or a typo, is an error (laspy: AttributeError)
T.err("LasData: point format 7 has no field 'nir' (test with rawget(las, 'nir'))", function() return g.nir end)
T.err("LasData has no attribute 'intensty' (did you mean 'intensity'?)", function() return g.intensty end)
T.ok(g.evlrs[1].data:find("PROJCS") or g.evlrs[1].data:find("GEOGCS") or #g.evlrs[1].data > 0, "WKT EVLR payload")
local v = spatial.read_las(dir .. "vegetation_1_3.las")
T.ok(v.header.offset[1] < 0, "negative offsets")

-- round trip: simple.las written again gives byte-identical point records
local out = T.tmp("simple_rt.las")
T.ok(spatial.write_las(out, s))
local function bytes(p) local fh = assert(io.open(p, "rb")); local d = fh:read("a"); fh:close(); return d end
local orig, mine = bytes(dir .. "simple.las"), bytes(out)
local o1, o2 = s.header.offset_to_point_data, 227
T.eq(#mine - o2, #orig - o1, "same point data size")
T.ok(orig:sub(o1 + 1) == mine:sub(o2 + 1), "point records byte-identical to TerraScan's")
local s2 = spatial.read_las(out)
T.eq(s2.header.mins, s.header.mins); T.eq(s2.header.maxs, s.header.maxs)
T.eq(s2.header.number_of_points_by_return, s.header.number_of_points_by_return)
-- LAS 1.4 formats 6-8 from columns
local n = 100
local cols = {x = np.linspace(0, 9.999, n), y = np.linspace(-5, 5, n), z = np.zeros{n} + 123.456,
  classification = np.arange(n) % 20, intensity = np.arange(n) * 10, red = np.arange(n), green = np.arange(n) * 2,
  blue = np.arange(n) * 3, nir = np.arange(n) * 4, gps_time = np.arange(n) * 0.5, return_number = np.ones{n},
  number_of_returns = np.ones{n} * 2, scan_angle = np.linspace(-30, 30, n)}
local p8 = T.tmp("f8.las")
spatial.write_las(p8, cols, {version = "1.4"})
local r8 = spatial.read_las(p8)
T.eq({r8.header.version, r8.header.point_format, r8.header.point_count}, {"1.4", 8, n})
T.close(r8.x, cols.x, 0, 0.0005); T.close(r8.z, cols.z, 0, 0.0005)
T.eq(r8.classification:totable(), (np.arange(n) % 20):astype("uint8"):totable())
T.eq(r8.nir:totable(), (np.arange(n) * 4):astype("int32"):totable())
T.close(r8.gps_time, cols.gps_time); T.close(r8.scan_angle, cols.scan_angle, 0, 0.003)
T.eq(r8.number_of_returns:max(), 2)
local p0 = T.tmp("f0.las")
spatial.write_las(p0, {x = {1, 2}, y = {3, 4}, z = {5, 6}, classification = {2, 5}})
local r0 = spatial.read_las(p0)
T.eq({r0.header.version, r0.header.point_format, r0.classification[2]}, {"1.2", 0, 5})
-- gzip
spatial.write_las(p0 .. ".gz", {x = {1, 2}, y = {3, 4}, z = {5, 6}})
T.eq(spatial.read_las(p0 .. ".gz").header.point_count, 2)

-- write errors
T.err("needs version 1.4", function() spatial.write_las(p0, cols, {point_format = 7}) end)
T.err("column 'classification': value 300", function()
  spatial.write_las(p0, {x = {1}, y = {1}, z = {1}, classification = {300}}) end)
T.err("the points need 'x', 'y' and 'z' columns", function() spatial.write_las(p0, {x = {1}}) end)
T.err("cannot be stored with scale", function() spatial.write_las(p0, {x = {1e12}, y = {1}, z = {1}}, {offset = {0, 0, 0}}) end)
T.err("column 'y' has 1 values, x has 2", function() spatial.write_las(p0, {x = {1, 2}, y = {1}, z = {1, 2}}) end)
T.err("unknown option 'versoin'", function() spatial.write_las(p0, cols, {versoin = "1.4"}) end)

-- bad files: every one a clear error, never a crash
local function write(p, d) local fh = assert(io.open(p, "wb")); fh:write(d); fh:close() end
local bad = T.tmp("bad.las")
local function try(data, msg)
  write(bad, data)
  T.err(msg, spatial.read_las, bad)
end
try("hello", "not a LAS file")
try(orig:sub(1, 100), "truncated header")
try(orig:sub(1, 20000), "announces 1065 points but the file holds at most")
local function patch(d, pos, s_) return d:sub(1, pos) .. s_ .. d:sub(pos + #s_ + 1) end
try(patch(orig, 104, string.char(11)), "unsupported point data format 11")
try(patch(orig, 104, string.char(0x83)), "compressed LAZ")
try(patch(orig, 96, string.pack("<I4", 999999)), "offset to point data 999999 lies outside")
try(patch(orig, 105, string.pack("<I2", 10)), "shorter than format 3")
try(patch(orig, 24, string.char(2, 0)), "unsupported LAS version 2.0")
try(patch(orig, 107, string.pack("<I4", 4000000000)), "announces 4000000000 points")
local a14 = bytes(dir .. "test1_4.las")
try(patch(a14, 100, string.pack("<I4", 50)), "overlaps the point data")
try(patch(a14, 243, string.pack("<I4", 3)), "first EVLR offset 0 lies outside the file or inside the points")
try(patch(orig, 104, string.char(6)), "point format 6 needs LAS 1.4")
T.err("No such file", spatial.read_las, "tests/fixtures/las/none.las")

T.done()
