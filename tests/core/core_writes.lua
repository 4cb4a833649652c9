-- core_writes.lua: no writer destroys the user's file when a write fails.
-- Each writer runs in a child process with GEOLAB_TEST_FAIL_WRITE_AFTER (the
-- test-only hook of kernels/core/afile.c: the write past N bytes fails with
-- ENOSPC, as on a full disk); the old file must survive byte for byte and no
-- temporary may be left in the folder. Also: to_csv/savetxt option checks and
-- NUL bytes in text files.
local T = require "testlib"
local exe = arg[-1] or "geolab"
if not exe:find("^/") then exe = os.getenv("PWD") .. "/" .. exe end   -- children run elsewhere
local dir = T.tmp("core_writes")
os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")


-- Runs `code` in a child geolab (in dir, with env prefixed); returns ok, stderr.
local function child(code, env)
  T.write(dir .. "/../core_writes_prog.lua", code)
  local cmd = ("cd '%s' && %s '%s' ../core_writes_prog.lua 2>../core_writes_err.txt"):format(
    dir, env or "", exe)
  local ok = os.execute(cmd)
  return ok == true, T.read(dir .. "/../core_writes_err.txt") or ""
end

local ORIGINAL = "the user's precious data\n"
-- writers: the file name, the code writing it (big enough to pass 2000 bytes)
local writers = {
  { "a.npy", "np.save('a.npy', np.arange(10000))", "np.save" },
  { "a.npy.gz", "np.save('a.npy.gz', np.random.normal(0, 1, {10000}))", "np.save" },
  { "a.txt", "np.savetxt('a.txt', np.arange(10000))", "np.savetxt" },
  { "a.txt.gz", "np.savetxt('a.txt.gz', np.random.normal(0, 1, {10000}))", "np.savetxt" },
  { "a.csv", "pd.DataFrame{x = np.arange(10000)}:to_csv('a.csv')", "DataFrame.to_csv" },
  { "a.las", "local r = np.random.normal(0, 1, {1000}) spatial.write_las('a.las', {x = r, y = r, z = r})", "spatial.write_las" },
  { "a.png", "local f, ax = plt.subplots() ax:plot({1, 2}) f:savefig('a.png')", "savefig" },
  { "a.svg", "local f, ax = plt.subplots() ax:plot({1, 2}) f:savefig('a.svg')", "savefig" },
  { "a.pdf", "local f, ax = plt.subplots() ax:plot({1, 2}) f:savefig('a.pdf')", "savefig" },
  { "a.mseed", "seis.Trace(np.arange(10000):astype('int32')):write('a.mseed', {encoding = 'INT32'})", "Trace.write" },
  { "a.sac", "seis.Stream{seis.Trace(np.arange(10000))}:write('a.sac')", "Stream.write" },
}
for _, w in ipairs(writers) do
  local name, code, fn = w[1], w[2], w[3]
  local target = dir .. "/" .. name
  T.write(target, ORIGINAL)
  local ok, err = child(code, "GEOLAB_TEST_FAIL_WRITE_AFTER=2000")
  T.ok(not ok, name .. ": the failed write is an error")
  T.ok(err:find(fn .. ": ", 1, true) and err:find("No space left on device", 1, true),
    name .. ": the error names " .. fn .. " and the cause (" .. err:match("[^\n]*") .. ")")
  T.eq(T.read(target), ORIGINAL, name .. ": the old file is intact")
  T.eq(T.listing(dir), name, name .. ": no temporary is left")
  -- and without the hook the same code replaces it
  ok, err = child(code)
  T.ok(ok, name .. ": written (" .. err .. ")")
  local got = T.read(target)
  T.ok(got ~= ORIGINAL and #got > 100, name .. ": replaced")
  os.remove(target)
end

-- an empty np.savez is written by geolab itself (libzip writes nothing)
T.write(dir .. "/e.npz", ORIGINAL)
local ok, err = child("np.savez('e.npz', {})", "GEOLAB_TEST_FAIL_WRITE_AFTER=10")
T.ok(not ok and err:find("np.savez: write failed: No space left on device", 1, true), "empty savez fails: " .. err)
T.eq(T.read(dir .. "/e.npz"), ORIGINAL, "empty savez: the old file is intact")
T.eq(T.listing(dir), "e.npz", "empty savez: no temporary")
os.remove(dir .. "/e.npz")

-- the replaced file keeps its mode; a new one gets the umask's
local target = dir .. "/m.npy"
T.write(target, ORIGINAL)
os.execute("chmod 604 '" .. target .. "'")
np.save(target, np.arange(3))
local p = io.popen("stat -c %a '" .. target .. "'")
T.eq(p:read("l"), "604", "mode of a replaced file")
p:close()
os.remove(target)
ok = os.execute(("cd '%s' && umask 027 && '%s' -e \"np.save('m.npy', np.arange(3))\""):format(dir, exe))
p = io.popen("stat -c %a '" .. target .. "'")
T.eq(p:read("l"), "640", "mode of a new file follows the umask")
p:close()
os.remove(target)

-- in this process: np.save through a symbolic link replaces the file it names
T.write(dir .. "/real.npy", ORIGINAL)
os.execute("ln -s real.npy '" .. dir .. "/link.npy'")
np.save(dir .. "/link.npy", np.arange(4))
T.eq(np.load(dir .. "/real.npy"):totable(), { 0, 1, 2, 3 }, "written through the link")
p = io.popen("test -L '" .. dir .. "/link.npy' && echo link")
T.eq(p:read("l"), "link", "the link stays a link")
p:close()
os.remove(dir .. "/link.npy")
os.remove(dir .. "/real.npy")

-- {======================================================= to_csv / savetxt options
local df = pd.DataFrame { a = { 1, 2 }, b = { 3, 4 } }
local csv = dir .. "/o.csv"
-- pandas 1.5.3: TypeError: "delimiter" must be a 1-character string
T.err('DataFrame.to_csv: "delimiter" must be a 1-character string', function () df:to_csv(csv, { sep = ",," }) end)
T.err('DataFrame.to_csv: "delimiter" must be a 1-character string', function () df:to_csv(csv, { sep = "" }) end)
T.err('DataFrame.to_csv: "delimiter" must be string, not number', function () df:to_csv(csv, { sep = 1 }) end)
T.err("DataFrame.to_csv: unknown option 'sepp' (did you mean 'sep'?)", function () df:to_csv(csv, { sepp = ";" }) end)
T.err("DataFrame.to_csv: na_rep must be a string", function () df:to_csv(csv, { na_rep = 0 }) end)
T.eq(T.read(csv), nil, "no file from a refused call")
df:to_csv(csv, { sep = ";" })
T.eq(T.read(csv), ";a;b\n1;1;3\n2;2;4\n")   -- pandas' layout; geolab's row labels count from 1
df:to_csv(csv, { sep = "\t", index = false })
T.eq(T.read(csv), "a\tb\n1\t3\n2\t4\n")
os.remove(csv)

local txt = dir .. "/o.txt"
-- NumPy 1.24: np.savetxt(f, np.eye(2), fmt=["%d"]) -> "fmt has wrong shape"
T.err("np.savetxt: option 'fmt' has 1 formats for 2 columns", np.savetxt, txt, np.eye(2), { fmt = { "%d" } })
T.err("np.savetxt: option 'delimiter' contains a NUL byte", np.savetxt, txt, np.eye(2), { delimiter = ",\0" })
T.eq(T.read(txt), nil, "no file from a refused call")
-- NumPy writes any delimiter as given, several characters or none
np.savetxt(txt, np.eye(2), { fmt = "%d", delimiter = ",," })
T.eq(T.read(txt), "1,,0\n0,,1\n")
np.savetxt(txt, np.eye(2), { fmt = "%d", delimiter = "" })
T.eq(T.read(txt), "10\n01\n")
os.remove(txt)
-- }=======================================================

-- {======================================================= NUL bytes in text files
T.write(dir .. "/nul.csv", "a,b\n1,2\n3\0,4\n5,6\n")
T.err("pd.read_csv: " .. dir .. "/nul.csv: line 3 contains a NUL byte (binary file?)", pd.read_csv, dir .. "/nul.csv")
T.write(dir .. "/nul.txt", "1 2\n3 4\n5\0 6\n")
T.err("np.loadtxt: line 3 contains a NUL byte (binary file?)", np.loadtxt, dir .. "/nul.txt")
T.err("np.genfromtxt: line 3 contains a NUL byte (binary file?)", np.genfromtxt, dir .. "/nul.txt")
T.write(dir .. "/nul1.xyz", "\0")
T.err("np.loadtxt: line 1 contains a NUL byte", np.loadtxt, dir .. "/nul1.xyz")
-- gzip-compressed: found after inflating
os.execute("gzip -kf '" .. dir .. "/nul.txt'")
T.err("np.loadtxt: line 3 contains a NUL byte", np.loadtxt, dir .. "/nul.txt.gz")
-- }=======================================================

os.execute("rm -rf '" .. dir .. "'")
T.done()
