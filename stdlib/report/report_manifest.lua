-- report_manifest.lua: run manifests. `geolab run --manifest m.json script.lua`
-- records the SHA-256 of every line each cell printed (stdout and stderr
-- apart), of every figure (PNG bytes) and of every file the run wrote under
-- the current folder; `geolab verify m.json script.lua` reruns the script
-- with the manifest's seed and arguments and lists what differs.
local core = require "geolab.report_core"
local json = require "geolab.report_json"
local R = require "geolab.report"
local Mf = {}
local O = json.object
local FORMAT = "geolab run manifest 1"

local function split_lines (s)
  local t = {}
  for l in s:gmatch("([^\n]*)\n") do t[#t + 1] = l end
  local rest = s:match("[^\n]*$")
  if rest ~= "" then t[#t + 1] = rest end
  return t
end

-- The manifest of a run, and the printed lines behind each hash (for verify's
-- messages).
local function manifest_of (run, files, argv)
  local src = assert(R.readfile(run.script))
  local cells, texts = {}, {}
  for _, c in ipairs(run.cells) do
    if c.kind == "code" and c.count then
      local e = {cell = c.count, line = c.line, stdout = {}, stderr = {}, figures = {}}
      local t = {stdout = {}, stderr = {}}
      local streams = {stdout = "", stderr = ""}
      for _, o in ipairs(c.outputs) do
        if o.type == "stream" then streams[o.name] = streams[o.name] .. o.text
        elseif o.type == "image" then e.figures[#e.figures + 1] = core.sha256(o.png)
        elseif o.type == "error" then
          e.error = core.sha256(o.text)
          e.error_message = o.text:match("^[^\n]*")
        end
      end
      for _, name in ipairs {"stdout", "stderr"} do
        for _, l in ipairs(split_lines(streams[name])) do
          e[name][#e[name] + 1] = core.sha256(l)
          t[name][#t[name] + 1] = l
        end
      end
      cells[#cells + 1] = O(e, {"cell", "line", "stdout", "stderr", "figures", "error", "error_message"})
      texts[#texts + 1] = t
    end
  end
  local m = O({format = FORMAT, hash = "sha256", geolab = run.version, script = run.script,
               script_sha256 = core.sha256(src), seed = run.seed, args = argv, threads = run.threads,
               date = run.date, cells = cells, files = files},
              {"format", "hash", "geolab", "script", "script_sha256", "seed", "args", "threads", "date", "cells", "files"})
  return m, texts
end

-- Mf.make(script, opts, manifest_path) -> {run, manifest, texts, text}
function Mf.make (script, opts, manifest_path)
  local s, ns = core.now()
  local run = R.run(script, opts)
  local paths = core.written_since(".", s, ns)
  table.sort(paths)
  local skip = manifest_path and manifest_path:gsub("^%./", "")
  local files = {}
  for _, p in ipairs(paths) do
    if p ~= skip then
      local h, size = core.sha256_file(p)
      if h then files[#files + 1] = O({path = p, sha256 = h, size = size}, {"path", "sha256", "size"}) end
    end
  end
  local m, texts = manifest_of(run, files, opts.args or {})
  return {run = run, manifest = m, texts = texts, text = json.encode(m, 1) .. "\n"}
end

local function short (s) return #s > 70 and s:sub(1, 67) .. "..." or s end

-- Compares manifest `old` with the rerun; returns the list of differences.
local function compare (old, new, texts)
  local d = {}
  local function say (fmt, ...) d[#d + 1] = fmt:format(...) end
  if old.script_sha256 ~= new.script_sha256 then say("the script changed since the manifest was written") end
  local oc, nc = old.cells or {}, new.cells
  if #oc ~= #nc then say("%d cells in the manifest, %d now", #oc, #nc) end
  for i = 1, math.min(#oc, #nc) do
    local a, b, where = oc[i], nc[i], ("cell %d (line %d)"):format(i, nc[i].line)
    for _, name in ipairs {"stdout", "stderr"} do
      local la, lb = a[name] or {}, b[name]
      local shown = 0
      for k = 1, math.max(#la, #lb) do
        if la[k] ~= lb[k] and shown < 5 then
          shown = shown + 1
          if lb[k] == nil then say("%s: %s line %d is missing", where, name, k)
          elseif la[k] == nil then say("%s: %s line %d is new: %s", where, name, k, short(texts[i][name][k]))
          else say("%s: %s line %d differs: now %s", where, name, k, short(texts[i][name][k])) end
        elseif la[k] ~= lb[k] then shown = shown + 1 end
      end
      if shown > 5 then say("%s: %d more %s lines differ", where, shown - 5, name) end
    end
    local fa, fb = a.figures or {}, b.figures
    for k = 1, math.max(#fa, #fb) do
      if fa[k] ~= fb[k] then
        say("%s: figure %d %s", where, k, fb[k] == nil and "is missing" or fa[k] == nil and "is new" or "differs")
      end
    end
    if a.error ~= b.error then
      if b.error == nil then say("%s: no longer raises an error", where)
      elseif a.error == nil then say("%s: now raises %s", where, short(b.error_message))
      else say("%s: raises a different error: %s", where, short(b.error_message)) end
    end
  end
  local fo, fn = {}, {}
  for _, f in ipairs(old.files or {}) do fo[f.path] = f end
  for _, f in ipairs(new.files) do fn[f.path] = f end
  for _, f in ipairs(old.files or {}) do
    if not fn[f.path] then say("file %s was not written", f.path)
    elseif fn[f.path].sha256 ~= f.sha256 then say("file %s differs", f.path) end
  end
  for _, f in ipairs(new.files) do
    if not fo[f.path] then say("file %s is new", f.path) end
  end
  return d
end

-- Mf.verify(manifest_path, script, o, host, start) -> exit status
function Mf.verify (mpath, script, o, host, start)
  local function die (msg) io.stderr:write("geolab verify: ", msg, "\n"); return 1 end
  local text, err = R.readfile(mpath)
  if not text then return die("cannot open " .. err) end
  local ok, old = pcall(json.decode, text, mpath)
  if not ok then return die(old) end
  if type(old) ~= "table" or old.format ~= FORMAT then return die(mpath .. ": not a geolab run manifest") end
  script = script or old.script
  o.seed = o.seed or math.tointeger(old.seed) or 0
  if #o.args == 0 and type(old.args) == "table" then o.args = old.args end
  local opts = start(o, host)
  local rok, res = pcall(Mf.make, script, opts, mpath)
  if not rok then return die(res) end
  local diffs = compare(old, res.manifest, res.texts)
  local nlines, nfig = 0, 0
  for _, c in ipairs(res.manifest.cells) do nlines = nlines + #c.stdout + #c.stderr; nfig = nfig + #c.figures end
  if #diffs == 0 then
    print(("geolab verify: %s: identical (%d cells, %d printed lines, %d figures, %d files)"):format(
      script, #res.manifest.cells, nlines, nfig, #res.manifest.files))
    return 0
  end
  print(("geolab verify: %s: %d difference%s from %s"):format(script, #diffs, #diffs == 1 and "" or "s", mpath))
  for _, l in ipairs(diffs) do print("  " .. l) end
  return 1
end

return Mf
