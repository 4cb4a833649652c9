-- fs_paths.lua: fs against Python 3.11's glob.glob, os.path and os.walk on the
-- same tree (tests/fixtures/fs/gen_fs.py), and fs's own errors.
local T = require "testlib"
local R = dofile("tests/fixtures/fs/fs_ref.lua")

-- rebuild the fixture's tree in a fresh folder
local root = T.tmp("fs_tree")
os.execute("rm -rf '" .. root .. "'")
fs.makedirs(root)
for _, f in ipairs(R.files) do
  local p = fs.join(root, f)
  if f:sub(-1) == "/" then fs.mkdir(p, {parents = true})
  else
    fs.mkdir(fs.dirname(p), {parents = true, exist_ok = true})
    local h = assert(io.open(p, "w")); h:write(("x"):rep(#f)); h:close()
  end
end

for _, g in ipairs(R.glob) do
  local got = fs.glob(g.pattern, {recursive = g.recursive, root_dir = root})
  T.eq(got, g.result, ("glob(%q, recursive=%s)"):format(g.pattern, tostring(g.recursive)))
  -- the same through an absolute pattern: every result carries the root
  local abs = fs.glob(fs.join(root, g.pattern), {recursive = g.recursive})
  local want = {}
  for i, r in ipairs(g.result) do want[i] = fs.join(root, r) end
  -- a bare "**" skips its empty match only at the top: under a root it is root/
  if g.pattern == "**" then want[#want + 1] = fs.join(root, "") end
  table.sort(want)
  T.eq(abs, want, "absolute " .. g.pattern)
end

local walked = {}
for dirpath, dirnames, filenames in fs.walk(root) do
  local rel = dirpath == root and "." or "./" .. dirpath:sub(#root + 2)
  walked[#walked + 1] = {rel, dirnames, filenames}
end
table.sort(walked, function(a, b) return a[1] < b[1] end)
local want = {}
for i, w in ipairs(R.walk) do want[i] = w end
table.sort(want, function(a, b) return a[1] < b[1] end)
T.eq(walked, want, "fs.walk = os.walk")
-- pruning dirnames in the loop skips those folders, as in Python
local seen = {}
for dirpath, dirnames in fs.walk(root) do
  seen[#seen + 1] = dirpath
  for i = #dirnames, 1, -1 do if dirnames[i] == "TR" then table.remove(dirnames, i) end end
end
for _, d in ipairs(seen) do T.ok(not d:find("/TR", 1, true), "pruned: " .. d) end

for _, c in ipairs(R.split) do T.eq({fs.split(c[1])}, {c[2], c[3]}, "split " .. c[1]) end
for _, c in ipairs(R.splitext) do T.eq({fs.splitext(c[1])}, {c[2], c[3]}, "splitext " .. c[1]) end
for _, c in ipairs(R.basename) do T.eq(fs.basename(c[1]), c[2], "basename " .. c[1]) end
for _, c in ipairs(R.dirname) do T.eq(fs.dirname(c[1]), c[2], "dirname " .. c[1]) end
for _, c in ipairs(R.stem) do T.eq({fs.stem(c[1]), fs.suffix(c[1])}, {c[2], c[3]}, "stem/suffix " .. c[1]) end
for _, c in ipairs(R.join) do T.eq(fs.join(table.unpack(c[1])), c[2], "join " .. table.concat(c[1], ",")) end

-- queries and listing
T.eq(fs.listdir(fs.join(root, "VT")), {".ev007.npy", "ev001.npy", "ev002.npy"})
T.ok(fs.isdir(root) and not fs.isfile(root) and fs.exists(root))
T.ok(fs.isfile(fs.join(root, "readme.md")) and not fs.exists(fs.join(root, "nope")))
T.eq(fs.getsize(fs.join(root, "readme.md")), #"readme.md")
T.eq(fs.abspath("/a/b/../c/./d"), "/a/c/d")
T.eq(fs.abspath("x"), fs.join(fs.getcwd(), "x"))
T.ok(tostring(fs.listdir(root)):find('^{".hidden", "LP", "TR"', 1), "listdir prints as a list")

-- changes and their errors
local nd = fs.join(root, "new/a/b")
T.err("fs.mkdir: the parent folder " .. fs.join(root, "new/a") .. " does not exist (give {parents = true}", fs.mkdir, nd)
fs.mkdir(nd, {parents = true}); T.ok(fs.isdir(nd))
T.err("already exists (give {exist_ok = true}", fs.mkdir, nd)
fs.mkdir(nd, {exist_ok = true})
T.err("fs.makedirs: " .. nd .. " already exists", fs.makedirs, nd)
fs.rmdir(nd); T.ok(not fs.exists(nd))
T.err("fs.rmdir: " .. fs.join(root, "VT") .. ": Directory not empty", fs.rmdir, fs.join(root, "VT"))
local f = fs.join(root, "gone.txt")
io.open(f, "w"):close(); fs.remove(f); T.ok(not fs.exists(f))
T.err("fs.remove:", fs.remove, f)
T.err("is a folder (use fs.rmdir)", fs.remove, root)
T.err("fs.listdir: " .. f .. ": No such file or directory", fs.listdir, f)
T.err("fs.getsize: " .. f .. ": No such file or directory", fs.getsize, f)
T.err("fs.glob: pattern must be a string (a path), got number", fs.glob, 3)
T.err("fs.glob: unknown option 'recursve' (did you mean 'recursive'?)", fs.glob, "*", {recursve = true})
T.err("fs.join: argument 2 must be a string (a path), got number", fs.join, "a", 2)
T.err("fs.exists: path contains a NUL byte", fs.exists, "a\0b")
T.err("fs.globb does not exist (did you mean fs.glob?)", function() return fs.globb end)
T.done()
