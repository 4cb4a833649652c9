-- seis_read.lua: seis.read on real miniSEED 2 and SAC files (tests/fixtures/seis,
-- byte copies of shared/data/formats), against values read independently:
-- gen_mseed_ref.py and gen_sac_ref.py (struct-only readers of the SEED and
-- SAC headers), and the table of shared/data/formats/README.md.
local T = require "testlib"
local D = "tests/fixtures/seis/"
local MREF = dofile(D .. "mseed_ref.lua")
local SREF = dofile(D .. "sac_ref.lua")

local DTYPE = {STEIM1 = "int32", STEIM2 = "int32", INT32 = "int32", INT16 = "int32", CDSN = "int32",
  SRO = "int32", DWWSSN = "int32", FLOAT32 = "float32", FLOAT64 = "float64", GEOSCOPE16_4 = "float32",
  TEXT = "uint8"}

-- every miniSEED 2 file: traces, ids, npts, rate, start to the microsecond,
-- first and last samples, dtype and encoding
local nfiles = 0
for name, segs in pairs(MREF) do
  if not name:find("mseed3$") then
    nfiles = nfiles + 1
    local st = seis.read(D .. "mseed/" .. name)
    T.eq(#st, #segs, name .. ": trace count")
    for i, ref in ipairs(segs) do
      local tr = st[i]
      if tr then
        local s = tr.stats
        T.eq(tr.id, ref.id, name .. ": id")
        T.eq(s.npts, ref.npts, name .. ": npts")
        T.eq(#tr.data, ref.npts, name .. ": data length")
        T.eq(s.sampling_rate, ref.rate, name .. ": sampling_rate")
        T.eq(s.starttime.value, ref.start_us * 1000, name .. ": starttime (ns)")
        T.eq(tr.data.dtype, DTYPE[ref.encoding], name .. ": dtype")
        T.eq(s.mseed.encoding, ref.encoding == "TEXT" and "ASCII" or ref.encoding, name .. ": encoding")
        if ref.first ~= nil then
          T.eq(tr.data[1], ref.first, name .. ": first sample")
          T.eq(tr.data[-1], ref.last, name .. ": last sample")
        end
        if ref.rate > 0 then
          T.eq(s.endtime.value, ref.start_us * 1000 + math.floor((ref.npts - 1) * (1 / ref.rate) * 1e9 + 0.5),
            name .. ": endtime")
        end
      end
    end
  end
end
T.ok(nfiles >= 40, "miniSEED files checked: " .. nfiles)

-- the README's table (recorded with libmseed, seisplotjs and libmseed 3): segments / samples
local README = {
  ["libmseed-doc_test.mseed"] = {1, 4200}, ["gaps.mseed"] = {4, 52728}, ["SRO_encoding.mseed"] = {3, 6048},
  ["testdata-3channel-signal.mseed2"] = {3, 12600}, ["fullseed.mseed"] = {3, 1835},
  ["rt130_sr0_cropped.mseed"] = {5, 195}, ["testdata-oneseries-mixedlengths-mixedorder.mseed2"] = {1, 3952},
  ["CH.BALST..LHE.D.2025.314"] = nil, ["test.mseed"] = {1, 11947}, ["two_channels.mseed"] = {2, 772},
  ["testdata-no-blockette1000-steim1.mseed2"] = {1, 7312}, ["1T_MONN_00_EDH.mseed"] = {1, 7501},
}
for name, want in pairs(README) do
  local st = seis.read(D .. "mseed/" .. name)
  local n = 0
  for _, tr in ipairs(st.traces) do n = n + tr.stats.npts end
  T.eq({#st, n}, want, name .. ": segments and samples (README)")
end
-- README start times, as text
local function start(name) return seis._iso(seis.read(D .. "mseed/" .. name)[1].stats.starttime.value) end
T.eq(start("testdata-unapplied-timecorrection.mseed2"), "2003-05-29T02:13:23.043400Z")
T.eq(start("one_record_already_applied_time_correction.mseed"), "2008-01-01T00:00:00.065000Z")
T.eq(start("BW.BGLD.__.EHE.D.2008.001.first_10_records"), "2007-12-31T23:59:59.915000Z")
T.eq(start("microsecond_wrap.mseed"), "2008-01-08T04:58:06.000000Z")
T.eq(start("two_channels.mseed"), "2010-06-20T00:00:00.279999Z")
-- the M8.8 Maule window at COLA: the README's extremes
local cola = seis.read(D .. "mseed/libmseed-doc_test.mseed")[1]
T.eq({cola.data:min(), cola.data:max()}, {-2121836, 1342348}, "COLA LHZ extremes (README)")
-- the encoding files hold 1..50 in every encoding and byte order
for _, f in ipairs{"int16_INT16", "int32_INT32", "int32_Steim1", "int32_Steim2", "float32_Float32", "float64_Float64"} do
  for _, e in ipairs{"bigEndian", "littleEndian"} do
    local tr = seis.read(D .. "mseed/" .. f .. "_" .. e .. ".mseed")[1]
    T.eq(tr.data:astype("float64"):totable(), np.arange(1, 51):totable(), f .. "_" .. e .. ": 1..50")
    T.eq(tr.stats.mseed.byteorder, e == "bigEndian" and ">" or "<", f .. "_" .. e .. ": byteorder")
  end
end
local txt = seis.read(D .. "mseed/smallASCII_littleEndian.mseed")[1]
T.eq(string.char(table.unpack(txt.data:totable())), "ABCDEFGH", "text record")
-- one signal in four byte-order combinations; LHZ of the 3-channel file is test.mseed
local ref = seis.read(D .. "mseed/test.mseed")[1].data
for _, f in ipairs{"be-header.be-data", "be-header.le-data", "le-header.be-data", "le-header.le-data"} do
  T.ok(seis.read(D .. "mseed/endiantest." .. f .. ".mseed")[1].data:eq(ref):all(), "endiantest." .. f)
end
local three = seis.read(D .. "mseed/testdata-3channel-signal.mseed2")
T.ok(three:select{channel = "LHZ"}[1].data:eq(cola.data):all(), "3-channel LHZ equals test.mseed")

-- SAC: both byte orders, header fields, samples
for name, r in pairs(SREF) do
  local st = seis.read(D .. "sac/" .. name)
  T.eq(#st, 1, name .. ": one trace")
  local tr, s = st[1], st[1].stats
  T.eq({s.network, s.station, s.location, s.channel}, {r.knetwk, r.kstnm, r.khole, r.kcmpnm}, name .. ": codes")
  T.eq(s.npts, r.npts, name .. ": npts")
  T.eq(s.delta, r.delta, name .. ": delta (float32 of the header)")
  T.eq(s.sampling_rate, 1 / r.delta, name .. ": sampling_rate = 1 / delta")
  T.eq(s.starttime.value, r.start_us * 1000, name .. ": starttime = reference + b")
  T.eq(s.sac.b, r.b, name .. ": sac.b")
  T.eq(tr.data.dtype, "float32", name .. ": float32 samples")
  T.eq({tr.data[1], tr.data[-1]}, {r.first, r.last}, name .. ": first and last samples")
  -- float64 sums of float32 values: only the order of the additions differs
  T.close(tr.data:astype("float64"):sum(), r.sum, 1e-12, 1e-13 * tr.data:abs():astype("float64"):sum(), name .. ": sum")
end
-- mseed2sac's SAC copy of test.mseed holds the same samples
for _, e in ipairs{"BE", "LE"} do
  local tr = seis.read(D .. "sac/IU.COLA.00.LHZ.M.2010.058.065000." .. e .. ".SAC")[1]
  T.ok(tr.data:astype("int32"):eq(cola.data):all(), "mseed2sac " .. e .. " samples equal the miniSEED ones")
  T.eq(tr.stats.starttime, cola.stats.starttime, "mseed2sac " .. e .. " start")
end
T.eq(seis.read(D .. "sac/dis.G.SCZ.__.BHE_short")[1].stats.sac.gcarc ~= nil, true, "event fields kept")

-- ObsPy's printing
local st = seis.read(D .. "mseed/gaps.mseed")
T.eq(tostring(st), [[
4 Trace(s) in Stream:
BW.BGLD..EHE | 2007-12-31T23:59:59.915000Z - 2008-01-01T00:00:01.970000Z | 200.0 Hz, 412 samples
BW.BGLD..EHE | 2008-01-01T00:00:04.035000Z - 2008-01-01T00:00:08.150000Z | 200.0 Hz, 824 samples
BW.BGLD..EHE | 2008-01-01T00:00:10.215000Z - 2008-01-01T00:00:14.330000Z | 200.0 Hz, 824 samples
BW.BGLD..EHE | 2008-01-01T00:00:18.455000Z - 2008-01-01T00:04:31.790000Z | 200.0 Hz, 50668 samples]])
T.eq(tostring(seis.read(D .. "mseed/two_channels.mseed")[2]),
  "BW.UH3..EHZ | 2010-06-20T00:00:00.279999Z - 2010-06-20T00:00:02.204999Z | 200.0 Hz, 386 samples")
T.eq(tostring(seis.read(D .. "sac/seism.sac")[1]),
  ".CDV..Q | 1981-03-29T10:38:23.459999Z - 1981-03-29T10:38:33.449999Z | 100.0 Hz, 1000 samples")
T.eq(tostring(seis.read(D .. "mseed/rt130_sr0_cropped.mseed")[1]),
  "GR.FUR..LOG | 2017-01-01T00:00:00.000000Z - 2017-01-01T00:00:00.000000Z | 0.0 s, 26 samples")

-- gzipped files are read as they are (ObsPy and geolab's other readers do)
local tmp = T.tmp("seis_read_gz")
os.execute("rm -rf '" .. tmp .. "' && mkdir -p '" .. tmp .. "'")
os.execute(("gzip -c '%smseed/gaps.mseed' > '%s/gaps.mseed.gz'"):format(D, tmp))
os.execute(("gzip -c '%ssac/test.sac.swap' > '%s/t.sac.gz'"):format(D, tmp))
local gz = seis.read(tmp .. "/gaps.mseed.gz")
local plain = seis.read(D .. "mseed/gaps.mseed")
T.eq(#gz, 4, "gzipped miniSEED")
T.ok(gz[4].data:eq(plain[4].data):all() and gz[4].stats.starttime == plain[4].stats.starttime, "gzipped miniSEED samples")
local gs = seis.read(tmp .. "/t.sac.gz")
T.eq({gs[1].stats._format, gs[1].data[-1]}, {"SAC", SREF["test.sac"].last}, "gzipped SAC, detected")

-- globs, format names, ipairs
local all = seis.read(D .. "mseed/endiantest.*.mseed")
T.eq(#all, 4, "a glob reads every file")
T.eq(#seis.read(D .. "sac/test.sac", "SAC"), 1, "format positional")
T.eq(#seis.read(D .. "mseed/test.mseed", {format = "mseed"}), 1, "format option, any case")
local n = 0
for i, tr in ipairs(all) do n = n + 1; T.eq(tr, all[i]) end
T.eq(n, 4, "ipairs(st)")
T.eq(all[-1], all[4], "negative positions count from the end")
T.done()
