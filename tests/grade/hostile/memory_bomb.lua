-- %%
-- hostile: allocates without end
local t = {}
for i = 1, 1e9 do t[i] = ("x"):rep(1 << 24) .. i end
-- %%
local big = np.zeros{1e5, 1e5}
