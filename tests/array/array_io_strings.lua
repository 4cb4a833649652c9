-- array_io_strings.lua: np.load of real-world archives: string members
-- ('<U', '>U', '|S') as Lua strings and string lists, 0-d members, deflate
-- members, refused object members; fixtures from tests/fixtures/io/gen_strings.py.
local T = require "testlib"
local np = np or require "geolab.array"
local F = "tests/fixtures/io/"

local names = {"BG_ACR_2012082505145960", "NC_BBG", "", "caf\u{e9} \u{3bb}\u{1F600}"}
local grid = {{"a", "bb", "ccc"}, {"dddd", "e", "ff"}}

local d = np.load(F .. "strings.npz")
T.eq(d.names, names, "<U23, UTF-8 out")
T.eq(d.big, names, ">U23 (big endian)")
T.eq(d.grid, grid, "2-d strings: nested lists")
T.eq(d.grid_f, grid, "Fortran-ordered strings")
T.eq(d.bytes_, {"HHE", "HHN", "", "a\0b"}, "|S3: trailing NULs dropped, inner kept")
T.eq(d.word, "hello", "0-d <U5 is a Lua string")
T.eq(d.bword, "raw", "0-d |S3 is a Lua string")
T.eq(math.type(#d.names), "integer")
T.ok(tostring(d.grid):find('"dddd"', 1, true) ~= nil, "string lists print")
-- 0-d numeric members stay 0-d arrays, with their dtype
T.eq({d.f0.ndim, d.f0.dtype, d.f0:item()}, {0, "float64", 2.5})
T.eq({d.i0.ndim, d.i0.dtype, d.i0:item()}, {0, "int32", 7})
T.eq({d.b0.ndim, d.b0:item()}, {0, true})
T.eq(d.values:totable(), {{0, 1, 2}, {3, 4, 5}})

-- deflate members (np.savez_compressed)
local z = np.load(F .. "strings_deflate.npz")
T.eq(z.names, names, "compressed strings")
T.eq(z.word, "hello")
T.close(z.values, np.linspace(0, 1, 1000), 0, 0, "compressed float64")

-- .npy of strings
T.eq(np.load(F .. "unicode_1d.npy"), names, ".npy of strings")

-- object members are refused, naming the member
T.err("np.load: object arrays (dtype '|O') are stored as pickles", np.load, F .. "objects.npz")
T.err("member 'obj.npy'", np.load, F .. "objects.npz")
T.err("invalid character U+D800 in a '<U2' string", np.load, F .. "bad_surrogate.npy")

T.done()
