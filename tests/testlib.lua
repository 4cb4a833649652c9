-- testlib.lua: assert helpers shared by the Lua module tests (Lua testes style).
local T = {}
local npass, nfail = 0, 0

local function fail(msg, level)
  nfail = nfail + 1
  -- tail calls (return fail(...)) can leave no frame at that level
  local info = debug.getinfo(level or 3, "Sl") or debug.getinfo(2, "Sl")
  io.stderr:write(("%s:%d: %s\n"):format(info.short_src, info.currentline, msg))
end

-- T.ok(cond, msg): a plain assertion that is counted.
function T.ok(cond, msg)
  if cond then npass = npass + 1 else fail(msg or "assertion failed") end
end

-- T.eq(a, b): exact equality of Lua values (tables compared deeply).
local function deq(a, b)
  if type(a) ~= type(b) then return false end
  if type(a) ~= "table" then return a == b or (a ~= a and b ~= b) end
  for k, v in pairs(a) do if not deq(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end
function T.eq(a, b, msg)
  if deq(a, b) then npass = npass + 1
  else fail((msg or "values differ") .. ": got " .. T.show(a) .. ", expected " .. T.show(b)) end
end

-- T.close(a, b, rtol, atol): numbers, or arrays/tables compared elementwise;
-- NaN equals NaN.
-- Complex numbers count as their two parts.
local function is_complex(v)
  local mt = type(v) == "userdata" and getmetatable(v)
  return mt and mt.__name == "complex" or false
end
local function flat(x)
  if type(x) == "number" then return {x} end
  if is_complex(x) then return {x.real, x.imag} end
  if type(x) == "userdata" then x = x:flatten():totable() end
  local out = {}
  local function walk(t)
    for _, v in ipairs(t) do
      if type(v) == "table" then walk(v)
      elseif is_complex(v) then out[#out + 1] = v.real; out[#out + 1] = v.imag
      else out[#out + 1] = v end
    end
  end
  walk(x)
  return out
end
function T.close(a, b, rtol, atol, msg)
  rtol, atol = rtol or 1e-12, atol or 0
  local fa, fb = flat(a), flat(b)
  if #fa ~= #fb then return fail(("%ssizes differ: %d vs %d"):format(msg and msg .. ": " or "", #fa, #fb)) end
  for i = 1, #fa do
    local x, y = fa[i], fb[i]
    if type(x) == "boolean" then x = x and 1 or 0 end
    if type(y) == "boolean" then y = y and 1 or 0 end
    local okv = (x ~= x and y ~= y) or x == y or math.abs(x - y) <= atol + rtol * math.abs(y)
    if not okv then
      return fail(("%selement %d: got %.17g, expected %.17g"):format(msg and msg .. ": " or "", i, x, y))
    end
  end
  npass = npass + 1
end

-- T.close_like(got, want, rtol, msg): same dtype and shape as want, and close
-- to it at rtol with an absolute floor of rtol/100 of want's largest
-- magnitude (float32 sums that cancel to about zero cannot be held to a
-- relative bound). The nn kernel tests compare with PyTorch's fixtures so.
function T.close_like(got, want, rtol, msg)
  T.eq(got.dtype, want.dtype, msg .. " dtype")
  T.eq(got.shape, want.shape, msg .. " shape")
  local m = want.size > 0 and np.abs(want):max() or 0
  if m ~= m then m = 0 end
  T.close(got, want, rtol, rtol * 1e-2 * m, msg)
end

-- T.err(pattern, f, ...): f(...) must raise an error whose message contains
-- pattern (plain text, not a Lua pattern).
function T.err(pattern, f, ...)
  local okc, e = pcall(f, ...)
  if okc then return fail("expected an error containing '" .. pattern .. "'") end
  e = tostring(e)
  if not e:find(pattern, 1, true) then
    return fail("error '" .. e .. "' does not contain '" .. pattern .. "'")
  end
  npass = npass + 1
end

function T.show(v)
  if type(v) == "table" then
    local parts = {}
    for i, x in ipairs(v) do parts[i] = T.show(x) end
    return "{" .. table.concat(parts, ", ") .. "}"
  end
  return tostring(v)
end

-- T.sh(cmd): runs the shell command cmd with its stderr merged into stdout;
-- returns that output and the exit status (a number). LeakSanitizer's list
-- of suppressions used (ASan builds) is not the program's output and is
-- taken out.
function T.sh(cmd)
  local p = assert(io.popen("(" .. cmd .. ") 2>&1; echo \"exit $?\""))
  local out = p:read("a")
  p:close()
  out = out:gsub("%-+\nSuppressions used:\n.-%-+\n\n?", "")
  local rc = tonumber(out:match("exit (%d+)\n$"))
  return (out:gsub("exit %d+\n$", "")), rc
end

-- T.done(): prints the closing line ctest logs and exits non-zero on failure.
function T.done()
  print(("%d passed, %d failed"):format(npass, nfail))
  os.exit(nfail == 0 and 0 or 1)
end

-- T.same_bits(name, code): runs `code`, a Lua chunk that returns a table of
-- arrays (or numbers) by name, in two fresh geolab processes, --threads 1 and
-- --threads 2. Each run saves every array as build/testtmp/same_bits/NAME/tN.KEY.npy;
-- the test passes when both runs exit with status 0 and wrote the same keys
-- with byte-identical files, so the results agree in every bit (signed zeros
-- and NaNs included). The folder is emptied first, so a run that crashes
-- cannot pass by comparing files left by an earlier test run. One name per
-- algorithm: each gets its own pair of files.
function T.same_bits(name, code)
  local exe = arg[-1] or "geolab"
  local dir = T.tmp("same_bits/" .. name)
  os.execute("rm -rf '" .. dir .. "' && mkdir -p '" .. dir .. "'")
  local prog = dir .. "/prog.lua"
  local f = assert(io.open(prog, "w"))
  f:write("local out = arg[1]\nlocal R = (function ()\n", code, "\nend)()\n", [[
assert(type(R) == "table" and next(R), "T.same_bits: the code must return a table of arrays")
local keys = {}
for k in pairs(R) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do
  local v = R[k]
  np.save(out .. "." .. k .. ".npy", type(v) == "number" and np.array{v} or v)
end
local f = assert(io.open(out .. ".keys", "w"))
f:write(table.concat(keys, "\n"))
f:close()
]])
  f:close()
  local keys = {}
  for t = 1, 2 do
    local ok, how, status = os.execute(("'%s' --threads %d '%s' '%s/t%d'"):format(exe, t, prog, dir, t))
    T.ok(ok == true, ("%s: the --threads %d run failed (%s %s)"):format(name, t, how, status))
    keys[t] = T.read(("%s/t%d.keys"):format(dir, t))
  end
  T.ok(keys[1] ~= nil and keys[1] == keys[2], name .. ": both runs saved the same arrays")
  for k in (keys[1] or ""):gmatch("[^\n]+") do
    local a = T.read(("%s/t1.%s.npy"):format(dir, k))
    local b = T.read(("%s/t2.%s.npy"):format(dir, k))
    T.ok(a ~= nil and a == b, ("%s: %s differs between --threads 1 and --threads 2"):format(name, k))
  end
end

-- The bytes of a file, or nil when it cannot be opened.
function T.read(path)
  local fh = io.open(path, "rb")
  if not fh then return nil end
  local s = fh:read("a")
  fh:close()
  return s
end

-- Writes s to path (binary) and returns path.
function T.write(path, s)
  local fh = assert(io.open(path, "wb"))
  fh:write(s)
  fh:close()
  return path
end

-- The names in a folder, sorted, joined by spaces ("" when empty).
function T.listing(dir)
  local p = io.popen("ls -A '" .. dir .. "'")
  local names = {}
  for l in p:lines() do names[#names + 1] = l end
  p:close()
  table.sort(names)
  return table.concat(names, " ")
end

-- Path of a scratch file under the build tree.
function T.tmp(name)
  local dir = os.getenv("GEOLAB_BUILD_DIR") or "/tmp"
  os.execute("mkdir -p '" .. dir .. "/testtmp'")
  return dir .. "/testtmp/" .. name
end

return T
