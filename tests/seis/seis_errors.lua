-- seis_errors.lua: bad files and bad arguments give errors that name the
-- public function, the file and the cause (issue 13, "Bad input").
local T = require "testlib"
local D = "tests/fixtures/seis/"
local dir = T.tmp("seis_errors")
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")

-- files
T.err("seis.read: " .. dir .. "/none.mseed: No such file or directory", seis.read, dir .. "/none.mseed")
T.err("seis.read: no file matches " .. dir .. "/*.xyz", seis.read, dir .. "/*.xyz")
T.err("empty file", seis.read, T.write(dir .. "/empty.mseed", ""))
T.err("not a miniSEED 2 file", seis.read, T.write(dir .. "/text.mseed", ("hello world\n"):rep(100)))
local gaps = T.read(D .. "mseed/gaps.mseed")
-- a download cut inside the second record
T.err("the file ends inside the record at byte 512 (188 bytes of its 512; truncated file?)",
  seis.read, T.write(dir .. "/cut.mseed", gaps:sub(1, 700)))
-- a 256-byte float64 record whose header declares 64537 samples (found by
-- the fuzzer: libmseed decoded past the record; it read as 64537 values)
T.err("record at byte 0 declares 64537 samples, more than its 256 bytes hold (corrupt file?)",
  seis.read, D .. "mseed/float64_too_many_samples.mseed")
-- a 4096-byte record cut to 512 bytes
T.err("seis.read: " .. dir .. "/cut2.mseed:", seis.read, T.write(dir .. "/cut2.mseed", T.read(D .. "mseed/test.mseed"):sub(1, 512)))
-- Steim frames overwritten: libmseed's decoder reports the impossible nibble
local t = T.read(D .. "mseed/test.mseed")
T.err("Impossible Steim2 dnib", seis.read, T.write(dir .. "/steim.mseed", t:sub(1, 200) .. ("\255"):rep(60) .. t:sub(261)))
-- an encoding code no one defined (Blockette 1000 at byte 48: encoding at 52)
local e = T.read(D .. "mseed/int32_Steim1_bigEndian.mseed")
T.err("Unsupported encoding format 99", seis.read, T.write(dir .. "/enc.mseed", e:sub(1, 52) .. "\99" .. e:sub(54)))
-- miniSEED 3 and alphanumeric SAC: named
T.err("miniSEED 3 is not supported (Debian's libmseed 2.19 reads miniSEED 2 only)",
  seis.read, D .. "mseed/reference-testdata-steim2.mseed3")
T.err("alphanumeric SAC is not read", seis.read, D .. "sac/IU.COLA.00.LHZ.M.2010.058.065000.SACA")
-- SAC: a header cut short, npts larger than the file, a wrong header version
local sac = T.read(D .. "sac/test.sac")
T.err("seis.read: " .. dir .. "/short.sac: file shorter than the 632-byte SAC header",
  seis.read, T.write(dir .. "/short.sac", sac:sub(1, 600)), "SAC")
T.err("file shorter than its header says (npts samples)", seis.read, T.write(dir .. "/npts.sac", sac:sub(1, 700)), "SAC")
local big = sac:sub(1, 316) .. string.pack("<i4", 1000000) .. sac:sub(321)
T.err("file shorter than its header says (npts samples)", seis.read, T.write(dir .. "/npts2.sac", big), "SAC")
local v5 = sac:sub(1, 304) .. string.pack("<i4", 5) .. sac:sub(309)
T.err("unsupported SAC header version (only 6 is read)", seis.read, T.write(dir .. "/v5.sac", v5), "SAC")
local nohead = ("\0"):rep(700)
T.err("not a binary SAC file", seis.read, T.write(dir .. "/zero.sac", nohead), "SAC")
local neg = sac:sub(1, 316) .. string.pack("<i4", -5) .. sac:sub(321)
T.err("negative number of points", seis.read, T.write(dir .. "/neg.sac", neg), "SAC")
local d0 = string.pack("<f", 0) .. sac:sub(5)
T.err("sampling interval delta must be positive", seis.read, T.write(dir .. "/d0.sac", d0), "SAC")

local y = sac:sub(1, 280) .. string.pack("<i4", 30000) .. sac:sub(285)
T.err("reference time out of range (nzyear 30000", seis.read, T.write(dir .. "/year.sac", y), "SAC")
local bb = sac:sub(1, 20) .. string.pack("<f", 1e30) .. sac:sub(25)
T.err("times out of range", seis.read, T.write(dir .. "/b.sac", bb), "SAC")
-- pads and gap fills past any sensible size (found by the fuzzer: a corrupt
-- record time asked for a 6e12-sample gap)
T.err("Trace.trim: padding", function() seis.read(D .. "sac/test.sac")[1]:trim(nil, "2100-01-01", {pad = true}) end)
T.err("Stream.merge: a gap of", function()
  local a = seis.Trace(np.zeros(10), {starttime = "2000-01-01"})
  local b2 = seis.Trace(np.zeros(10), {starttime = "2100-01-01"})
  seis.Stream{a, b2}:merge()
end)

-- arguments and options
T.err("seis.read: unknown format 'SACC' (did you mean 'SAC'? 'MSEED' and 'SAC' are read)", seis.read, D .. "sac/test.sac", "SACC")
T.err("seis.read: unknown option 'fromat' (did you mean 'format'?)", seis.read, D .. "sac/test.sac", {fromat = "SAC"})
T.err("seis.read: path must be a string, got nil", seis.read)
local st = seis.read(D .. "mseed/test.mseed")
local tr = st[1]
T.err("Stream.write: unknown option 'encodng' (did you mean 'encoding'?)", function() st:write(dir .. "/o.mseed", {encodng = "STEIM2"}) end)
T.err("Stream.write: unknown encoding 'STEIM3' (did you mean", function() st:write(dir .. "/o.mseed", {encoding = "STEIM3"}) end)
T.err("Stream.write: unknown format 'GSE2'", function() st:write(dir .. "/o.gse", "GSE2") end)
T.err("Stream.write: cannot tell the format from the name", function() st:write(dir .. "/o.dat") end)
T.err("Stream.write: reclen must be a power of 2", function() st:write(dir .. "/o.mseed", {reclen = 1000}) end)
T.err("Stream.write: byteorder must be", function() st:write(dir .. "/o.mseed", {byteorder = "middle"}) end)
T.err("Stream.write: trace 1 has int32 data, encoding FLOAT32 needs float32", function() st:write(dir .. "/o.mseed", {encoding = "FLOAT32"}) end)
T.err("Stream.write: nothing to write (the Stream is empty)", function() seis.Stream():write(dir .. "/o.mseed") end)
T.err("Trace.write: trace 1: station code 'TOOLONG' is longer than miniSEED 2 allows (5 characters)",
  function() seis.Trace(np.arange(5):astype("int32"), {station = "TOOLONG"}):write(dir .. "/o.mseed") end)
T.err("values outside -32768..32767 cannot be written as INT16",
  function() seis.Trace(np.array({1, 40000}, "int32")):write(dir .. "/o.mseed", {encoding = "INT16"}) end)
T.err("Trace.write: trace 1: bool data cannot be written to miniSEED", function() seis.Trace(np.array{true, false}):write(dir .. "/o.mseed") end)
T.eq(io.open(dir .. "/o.mseed"), nil, "no file from a refused write")
-- positions, times, stats
T.err("Stream: positions count from 1 in geolab (Lua); ObsPy's st[0] is st[1]", function() return st[0] end)
T.eq(st[2], nil, "past the end is nil (ipairs)")
T.err("Trace.trim: endtime must be a pd.Timestamp or a date string, got a number (ObsPy's t + 10 is t + pd.Timedelta('10s') here)",
  function() tr:copy():trim(nil, 10) end)
T.err("Trace.trim: starttime is after endtime", function() tr:copy():trim("2003-05-29T02:20:00", "2003-05-29T02:15:00") end)
T.err("Trace.slice: cannot read starttime 'yesterday' as a date", function() tr:slice("yesterday") end)
T.err("Stats: endtime is derived", function() tr.stats.endtime = "2003-05-29" end)
T.err("Stats: sampling_rate must be a finite number >= 0", function() tr.stats.sampling_rate = -1 end)
T.err("Stats has no field 'stattime' (did you mean 'starttime'?)", function() return tr.stats.stattime end)
T.err("Trace has no method 'trimm' (did you mean 'trim'?)", function() return tr:trimm() end)
T.err("Stream.select: unknown option 'chanel' (did you mean 'channel'?)", function() st:select{chanel = "BHZ"} end)
T.err("Stream.select: component is one character", function() st:select{component = "BHZ"} end)
T.err("seis.Trace: data must be a 1-D array, got 2 dimensions", seis.Trace, np.zeros{2, 2})
T.err("seis.Stream: item 1 is not a Trace", seis.Stream, {1})
T.err("Trace.copy: call it on a Trace with ':'", tr.copy)
-- ObsPy's t + 10 (seconds) must not silently add 10 ns: refused as pandas does
T.err("Timestamp + number: give a duration, pd.Timedelta(10, 's') or '10s'", function() return tr.stats.starttime + 10 end)
T.err("Timestamp - number", function() return tr.stats.starttime - 1.5 end)
T.eq((tr.stats.starttime + pd.Timedelta(10, "s")).value - tr.stats.starttime.value, 10 * 1000000000, "pd.Timedelta(10, 's')")
T.eq((tr.stats.starttime + "250ms").value - tr.stats.starttime.value, 250 * 1000000, "t + '250ms'")
-- the stats stay consistent
tr.stats.delta = 0.05
T.eq(tr.stats.sampling_rate, 20.0, "delta sets the rate")
tr.stats.starttime = "2003-05-29T02:13:22"
T.eq(tostring(tr.stats.starttime), "2003-05-29 02:13:22", "a date string becomes a Timestamp")
T.done()
