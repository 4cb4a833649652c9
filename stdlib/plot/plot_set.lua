-- plot_set.lua: Axes methods that change settings rather than add data:
-- ax:set{...}, ax:cla(), ax:grid, ax:legend (checked when called, so that a
-- typo fails at the call and not later in savefig).
local S = require "geolab.plot_style"
local Axes = require "geolab.plot_axes"
local bare = require("geolab.util").bare

-- {===== ax:set{...}

-- Keys applied first: scales before limits (log limits need the scale).
local FIRST = {xscale = 1, yscale = 1}

-- ax:set{xlabel=, ylabel=, title=, xlim=, ylim=, xscale=, yscale=, xticks=, yticks=,
-- xticklabels=, yticklabels=, aspect=, facecolor=, ...}: any KEY with a set_KEY
-- method. All or nothing: on an error the axes are restored.
function Axes:set (opts)
  if type(opts) ~= "table" or getmetatable(opts) ~= nil then
    error(("set: options table expected, got %s"):format(type(opts)), 2)
  end
  local keys, names = {}, {}
  for k in pairs(Axes) do if type(k) == "string" and k:match("^set_") then names[#names + 1] = k:sub(5) end end
  table.sort(names)
  for k in pairs(opts) do
    if type(k) ~= "string" or type(self["set_" .. k]) ~= "function" then
      local near = S.nearest(tostring(k), names)
      error(("set: unknown property '%s'%s"):format(tostring(k), near and (" (did you mean '" .. near .. "'?)") or ""), 2)
    end
    keys[#keys + 1] = k
  end
  table.sort(keys, function (p, q)
    local fp, fq = FIRST[p] or 2, FIRST[q] or 2
    if fp ~= fq then return fp < fq end
    return p < q
  end)
  local saved = {}
  for k, v in pairs(self) do saved[k] = v end
  for _, k in ipairs(keys) do
    local v = opts[k]
    local ok, err = pcall(function ()
      -- limits and ticks given as a pair/list go in as one argument
      self["set_" .. k](self, v)
    end)
    if not ok then
      for k2 in pairs(self) do self[k2] = nil end
      for k2, v2 in pairs(saved) do self[k2] = v2 end
      error(("set: %s"):format((tostring(err):gsub("^[^:]*:%d+: ", ""))), 2)
    end
  end
  return self
end

-- =====}

-- {===== ax:cla()

-- Clears the axes: artists, labels, limits, scales, ticks; keeps its place in
-- the figure, its projection and its sharing.
function Axes:cla ()
  local keep = {fig = true, spec = true, rect = true, box = true, share_x = true, share_y = true, twin_of = true,
                twins = true, ticks_side = true, spines = true, is3d = true, _s = true}
  local saved = {}
  for k in pairs(keep) do saved[k] = self[k] end
  for k in pairs(self) do self[k] = nil end
  local fresh = Axes.new(saved.fig, {})
  for k, v in pairs(fresh) do self[k] = v end
  for k, v in pairs(saved) do self[k] = v end
  if self.is3d then
    self.is3d = nil
    Axes._views.make3d(self)
  end
  return self
end
Axes.clear = Axes.cla

-- =====}

-- {===== grid and legend

local GRID_OPTS = S.set("visible b which axis color c linestyle ls linewidth lw alpha zorder")
-- ax:grid([visible][, {which="major"|"minor"|"both", axis="both"|"x"|"y", color=, linestyle=, linewidth=, alpha=}])
-- ax:grid() with no argument toggles, as matplotlib.
function Axes:grid (on, opts)
  if type(on) == "table" then opts, on = on, nil end
  opts = S.check("grid", opts, GRID_OPTS)
  if opts.visible ~= nil then on = opts.visible elseif opts.b ~= nil then on = opts.b end
  if on ~= nil and type(on) ~= "boolean" then error(("grid: visible must be true or false, got %s"):format(type(on)), 2) end
  local which, axis = opts.which or "major", opts.axis or "both"
  if which ~= "major" and which ~= "minor" and which ~= "both" then
    error(("grid: which must be 'major', 'minor' or 'both' (got '%s')"):format(tostring(which)), 2)
  end
  if axis ~= "both" and axis ~= "x" and axis ~= "y" then
    error(("grid: axis must be 'both', 'x' or 'y' (got '%s')"):format(tostring(axis)), 2)
  end
  if opts.color or opts.c then S.rgba(opts.color or opts.c, opts.alpha, "grid") end
  S.dash(opts.linestyle or opts.ls, 1, "grid")
  -- keywords alone turn the grid on (matplotlib: "if any kwargs are supplied, it is assumed you want the grid on")
  local has_style = next(opts) ~= nil
  if on == nil then on = has_style or not self.show_grid end
  self.show_grid = on
  self.grid_opts = {}
  for k, v in pairs(opts) do self.grid_opts[k] = v end
  self.grid_opts.which, self.grid_opts.axis = which, axis
  return self
end

local LOCS = {best = 0, ["upper right"] = 1, ["upper left"] = 2, ["lower left"] = 3, ["lower right"] = 4, right = 5,
              ["center left"] = 6, ["center right"] = 7, ["lower center"] = 8, ["upper center"] = 9, center = 10}
local LOC_NAMES = {"best", "upper right", "upper left", "lower left", "lower right", "right", "center left",
                   "center right", "lower center", "upper center", "center"}
local LEGEND_OPTS = S.set("loc fontsize title title_fontsize frameon ncol ncols labels handles framealpha markerscale " ..
                          "bbox_to_anchor facecolor edgecolor shadow fancybox borderaxespad labelcolor numpoints scatterpoints")
-- ax:legend([labels | handles, labels][, {loc=, ncol=, frameon=, fontsize=, title=, markerscale=, bbox_to_anchor=}])
function Axes:legend (a, b, c)
  local opts, handles, labels
  if type(a) == "table" and bare(a) and a[1] == nil and next(a) ~= nil then opts = a
  elseif type(a) == "table" and type(a[1]) == "table" and rawget(a[1], "kind") then   -- handles[, labels]
    handles = a
    if type(b) == "table" and b[1] ~= nil then labels, opts = b, c else opts = b end
  elseif type(a) == "table" and a[1] ~= nil then labels, opts = a, b
  else opts = b end
  opts = S.check("legend", opts, LEGEND_OPTS)
  local loc = opts.loc
  if type(loc) == "number" then
    if loc % 1 ~= 0 or loc < 0 or loc > 10 then error(("legend: loc must be an integer 0..10 (got %g)"):format(loc), 2) end
    loc = LOC_NAMES[loc + 1]
  elseif loc ~= nil and not LOCS[loc] then
    local near = S.nearest(tostring(loc), LOC_NAMES)
    error(("legend: unknown location '%s'%s"):format(tostring(loc), near and (" (did you mean '" .. near .. "'?)") or ""), 2)
  end
  local ms = opts.markerscale
  if ms ~= nil and (type(ms) ~= "number" or ms <= 0) then error("legend: markerscale must be a positive number", 2) end
  local nc = opts.ncols or opts.ncol
  if nc ~= nil and (type(nc) ~= "number" or nc < 1 or nc % 1 ~= 0) then error("legend: ncol must be a positive integer", 2) end
  local bb = opts.bbox_to_anchor
  if bb ~= nil and (type(bb) ~= "table" or type(bb[1]) ~= "number" or type(bb[2]) ~= "number") then
    error("legend: bbox_to_anchor must be {x, y} in axes fraction", 2)
  end
  local fs = opts.fontsize
  if fs ~= nil and not (type(fs) == "number" and fs > 0) and not S.R.SCALINGS[fs] then
    error(("legend: fontsize must be a size in points or 'small', 'large'... (got '%s')"):format(tostring(fs)), 2)
  end
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  o.loc = loc or (bb and "upper right") or self:_rc("legend.loc")
  o.ncol = nc
  o.labels = labels or opts.labels
  o.handles = handles or opts.handles
  if o.frameon == nil then o.frameon = self:_rc("legend.frameon") end
  if o.framealpha == nil then o.framealpha = self:_rc("legend.framealpha") end
  o.markerscale = ms or self:_rc("legend.markerscale")
  o.fontsize = S.R.fontsize(fs or self:_rc("legend.fontsize"), self:_rc("font.size"))
  self.legend_opts = o
  return self
end

-- =====}

return Axes
