-- fuzz_lua.lua: the Lua half of tests/fuzz/fuzz_lua.c. For each reader: how
-- it is called, and the option grammar of the fuzzed inputs: every option the
-- Python function takes, each with a few values (good ones, edge cases, wrong
-- types, names of columns the seed files have), plus a misspelled option. An
-- option byte pair (i, j) sets option i to its value j (both modulo the list
-- sizes). Returns, for one reader, check(path, option_bytes, alt): nil when
-- the call returned or raised an error naming the function, else what went wrong.

local NIL = {}   -- stands for an absent value in the tables below

-- columns of the seed files are named a, b, c, t (tests/fuzz/corpus/csv)
local cols = {"a", {"a"}, {"b", "a"}, {1}, {2, 1}, {0}, {-1}, {"zz"}, {"a", "a"}, {}, 1, 0, "a", true, {1.5},
  function(n) return n ~= "b" end}

local specs = {
  ["pd.read_csv"] = {
    call = function(f, path, opts, alt) return f(alt and {path, path} or path, opts) end,
    options = {
      sep = {",", ";", "\t", "|", " ", ",,", "", 1, "\\s+", NIL},
      delimiter = {",", ";", "", false},
      header = {0, 1, 2, false, true, -1, 1.5, "a", NIL},
      names = {{"a", "b"}, {"a", "a"}, {}, {1, 2}, "a", {"x", "y", "z", "w", "v"}},
      usecols = cols,
      index_col = {"a", 1, 0, false, {"a", "b"}, "zz", -1, 2, true, {1}},
      dtype = {{a = "float64"}, {a = "int64"}, {a = "str"}, {b = "category"}, {a = "bool"}, {[1] = "float64"},
        {a = "junk"}, "float64", {a = "datetime64[ns]"}, {zz = "int32"}, {a = 1}},
      skiprows = {0, 1, 3, {1}, {1, 2}, -1, 1.5, {0}, 1e9, {3, 1}, "1", function(i) return i % 2 == 1 end},
      nrows = {0, 1, 5, -1, 1.5, "2"},
      na_values = {{"NA"}, {"-999", -999}, "x", 1, {a = {"1"}}, {}, true, {a = "b"}, {1e10, "NAN"}},
      keep_default_na = {true, false, 0},
      parse_dates = {{"a"}, {1}, true, {t = {"a", "b"}}, {"zz"}, false, "a", {{"a", "b"}}, {"t"}, {t = "a"}},
      dayfirst = {true, false, "yes"},
      keep_date_col = {true, false},
      comment = {"#", "", "##", false, ";"},
      quotechar = {"'", "\"", "", "ab", false},
      quoting = {0, 3, 1, "none"},
      decimal = {",", ".", "", ".."},
      thousands = {",", " ", ".", "''"},
      encoding = {"utf-8", "latin-1", "cp1252", "utf-16", "junk", "UTF8", "iso-8859-1"},
      encoding_errors = {"strict", "replace", "ignore", "junk"},
    },
  },
  ["np.load"] = {
    call = function(f, path) return f(path) end,
    options = {},
  },
  ["np.read_idx"] = {
    call = function(f, path) return f(path) end,
    options = {},
  },
  ["np.loadtxt"] = {
    call = function(f, path, opts) return f(path, opts) end,
    options = {
      delimiter = {",", ";", "\t", " ", "", ",,", "\n", 1},
      comments = {"#", "//", {"#", "%"}, false, "", {1}, true},
      skiprows = {0, 1, 3, -1, 1e9, 1.5},
      usecols = {1, 2, -1, 0, {1, 3}, {}, {1, 1}, {100}, "a", {2.5}},
      dtype = {"float64", "float32", "int64", "int32", "uint8", "bool", "str", "junk", 1},
      max_rows = {0, 1, 2, -1, -2, 1.5},
      unpack = {true, false, 1},
      ndmin = {0, 1, 2, 3, -1},
    },
  },
  ["np.genfromtxt"] = {
    call = function(f, path, opts) return f(path, opts) end,
    options = {
      delimiter = {",", ";", "\t", " ", "", ",,", 1},
      comments = {"#", "//", {"#", "%"}, false, ""},
      skip_header = {0, 1, 3, -1, 1e9},
      skip_footer = {0, 1, 3, -1, 1e9},
      usecols = {1, 2, -1, 0, {1, 3}, {}, {100}, "a"},
      dtype = {"float64", "float32", "int64", "int32", "uint8", "bool", "junk"},
      max_rows = {0, 1, 2, -1, 1.5},
      missing_values = {"NA", "NA,-999", "", ",,,", {"NA"}, 1},
      filling_values = {0, -1, 0 / 0, "x", 1e300},
      names = {true, false, "a,b"},
      unpack = {true, false},
      ndmin = {0, 1, 2, 3},
    },
  },
  ["spatial.read_las"] = {
    call = function(f, path) return f(path) end,
    options = {},
    use = function(las) return las:xyz() end,
  },
  -- seis.read: the file as miniSEED (content detection) or as SAC; the
  -- stream is printed and merged, which walks every trace's samples and stats
  ["seis.read"] = {
    call = function(f, path, opts, alt) return f(path, alt and "MSEED" or nil, opts) end,
    options = {
      starttime = {"2004-12-15T00:00:10", "1970-01-01", "junk", 5, NIL},
      endtime = {"2004-12-15T00:00:20", "2100-01-01", "1969-01-01", {}, NIL},
      pad = {true, false, 1},
      nearest_sample = {true, false, "no"},
      fill_value = {0, -1.5, "x", NIL},
      format = {"MSEED", "mseed", "SAC", "GSE2", 1, NIL},
    },
    use = function(st)
      for _, tr in ipairs(st) do tostring(tr.stats) end
      local ok, err = pcall(st.merge, st:copy())
      if not ok and not tostring(err):find("Stream.merge: ", 1, true) then error(err, 0) end
      return st
    end,
  },
  ["seis.read:sac"] = {
    call = function(f, path, opts, alt) return f(path, alt and nil or "SAC", opts) end,
    options = {starttime = {"1978-07-18T08:00:30", "junk", NIL}, endtime = {"1978-07-18T08:01:00", NIL},
      pad = {true, false}, fill_value = {0, NIL}},
    use = function(st)
      for _, tr in ipairs(st) do tostring(tr.stats); tr:times() end
      return st
    end,
  },
  ["nn.load"] = {
    call = function(f, path, opts) return f(path, opts) end,
    options = {map_location = {"cpu", "cuda", 1, NIL}, weights_only = {true, false, "yes", NIL}},
  },
  ["plt.imread"] = {
    call = function(f, path, opts, alt) return f(path, alt and opts and opts.format or nil) end,
    options = {format = {"png", "PNG", "jpg", "", 1, true}},
  },
}

return function(name)
  local spec = assert(specs[name], "fuzz_lua.lua: no entry for " .. name)
  name = name:match("^[^:]+")   -- "seis.read:sac" is seis.read
  local mod, field = name:match("^(%w+)%.([%w_]+)$")
  local f = assert(_G[mod][field], name)
  local keys = {}
  for k in pairs(spec.options) do keys[#keys + 1] = k end
  table.sort(keys)
  if #keys > 0 then   -- a misspelled option must be refused, never ignored
    local k1 = keys[1]
    keys[#keys + 1] = k1:sub(1, -2) .. "x"
    spec.options[keys[#keys]] = {1, k1}
  end
  return function(path, ob, alt)
    local opts
    if #ob > 0 and #keys > 0 then
      opts = {}
      for i = 1, #ob - 1, 2 do
        local k = keys[ob:byte(i) % #keys + 1]
        local vals = spec.options[k]
        local v = vals[ob:byte(i + 1) % #vals + 1]
        if v == NIL then v = nil end
        opts[k] = v
      end
    end
    local ok, res = pcall(spec.call, f, path, opts, alt)
    if ok then
      -- results print, and the reader's helpers accept them
      if spec.use then res = spec.use(res) end
      tostring(res)
      return nil
    end
    if type(res) ~= "string" then return "error value is a " .. type(res) .. ": " .. tostring(res) end
    -- the position a level-2 error gets (this file's line, or a module's);
    -- a chunk name has no colon, so a time quoted from the file ("00:00: ")
    -- further on is not taken for one
    local msg = res:gsub("^[^\n:]*:%d+: ", "", 1)
    if msg:sub(1, #name + 1) ~= name .. ":" then return res end
    return nil
  end
end
