-- report_ipynb.lua: Jupyter notebooks (nbformat 4.5) from report runs, and
-- their cells read back for geolab convert. Cell ids are "cell-N": the same
-- script gives the same notebook. Indented by one space per level as Jupyter
-- writes them; run-dependent fields (date, threads, seconds) each sit on a
-- line of their own.
local json = require "geolab.report_json"
local H = require "geolab.report_html"
local I = {}
local O = json.object

-- Jupyter's multi-line strings: a list of lines, each keeping its "\n".
local function lines (s)
  local t = {}
  for l in s:gmatch("[^\n]*\n?") do if l ~= "" then t[#t + 1] = l end end
  return t
end

local function outputs_of (c)
  local outs = {}
  for _, o in ipairs(c.outputs or {}) do
    if o.type == "stream" then
      outs[#outs + 1] = O({output_type = "stream", name = o.name, text = lines(o.text)}, {"name", "output_type", "text"})
    elseif o.type == "image" then
      outs[#outs + 1] = O({output_type = "display_data", metadata = O{},
                           data = O({["image/png"] = H.base64(o.png), ["text/plain"] = {"<Figure>"}},
                                    {"image/png", "text/plain"})},
                          {"data", "metadata", "output_type"})
    elseif o.type == "error" then
      local first = o.text:match("^[^\n]*")
      outs[#outs + 1] = O({output_type = "error", ename = "LuaError", evalue = first,
                           traceback = lines(o.text)}, {"ename", "evalue", "output_type", "traceback"})
    end
  end
  return outs
end

-- I.write(run) -> notebook text. run: report.lua's record, or {script,
-- cells, notebook_only = true} for cells without outputs (convert).
function I.write (run)
  local cells = {}
  for i, c in ipairs(run.cells) do
    local id = ("cell-%d"):format(i)
    local src = lines(c.source)
    if #src > 0 then src[#src] = src[#src]:gsub("\n$", "") end
    local meta = O{}
    if c.title and c.title ~= "" then meta.title = c.title end
    if c.kind == "code" then
      if c.seconds then meta.geolab = O{seconds = tonumber(("%.3f"):format(c.seconds))} end
      cells[#cells + 1] = O({cell_type = "code", execution_count = c.count or json.null, id = id, metadata = meta,
                             outputs = outputs_of(c), source = src},
                            {"cell_type", "execution_count", "id", "metadata", "outputs", "source"})
    else
      cells[#cells + 1] = O({cell_type = c.kind == "raw" and "raw" or "markdown", id = id, metadata = meta,
                             source = src}, {"cell_type", "id", "metadata", "source"})
    end
  end
  local meta = O({kernelspec = O({display_name = "geolab (Lua 5.4)", language = "lua", name = "geolab"},
                                 {"display_name", "language", "name"}),
                  language_info = O({name = "lua", version = "5.4", file_extension = ".lua",
                                     mimetype = "text/x-lua"}, {"file_extension", "mimetype", "name", "version"})},
                 {"kernelspec", "language_info"})
  if not run.notebook_only then
    meta.geolab = O({version = run.version, seed = run.seed, threads = run.threads, date = run.date,
                     seconds = tonumber(("%.3f"):format(run.seconds)), script = run.script},
                    {"date", "script", "seconds", "seed", "threads", "version"})
    meta[json.ORDER] = {"geolab", "kernelspec", "language_info"}
  end
  local nb = O({cells = cells, metadata = meta, nbformat = 4, nbformat_minor = 5},
               {"cells", "metadata", "nbformat", "nbformat_minor"})
  return json.encode(nb, 1) .. "\n"
end

-- I.read(text, name) -> cells {kind, source, title} of a notebook (outputs
-- are dropped); raises "NAME: ..." on a file that is not a notebook.
function I.read (text, name)
  local nb = json.decode(text, name)
  if type(nb) ~= "table" or type(nb.cells) ~= "table" then
    error(name .. ": not a Jupyter notebook (no 'cells' list)", 0)
  end
  if nb.nbformat ~= 4 then
    error(("%s: nbformat %s is not supported (only 4)"):format(name, tostring(nb.nbformat)), 0)
  end
  local cells = {}
  for i, c in ipairs(nb.cells) do
    local src = c.source
    if type(src) == "table" then src = table.concat(src) end
    if type(src) ~= "string" then error(("%s: cell %d has no source"):format(name, i), 0) end
    local kind = c.cell_type
    if kind ~= "code" and kind ~= "markdown" and kind ~= "raw" then
      error(("%s: cell %d has an unknown cell_type '%s'"):format(name, i, tostring(kind)), 0)
    end
    local title = type(c.metadata) == "table" and type(c.metadata.title) == "string" and c.metadata.title or ""
    cells[#cells + 1] = {kind = kind, source = src, title = title}
  end
  return cells
end

return I
