-- %%
-- hostile: reads /etc/passwd through Lua and through geolab's readers
print(io.open("/etc/passwd"))
-- %%
print(pcall(pd.read_csv, "/etc/passwd", {sep = ":"}))
-- %%
print(pcall(np.loadtxt, "/etc/passwd"))
print(pcall(fs.listdir, "/etc"))
-- %%
local f = assert(io.open("/etc/passwd"))   -- the cell fails here
print(f:read("a"))
