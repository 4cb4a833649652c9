-- %%
-- hostile: loads precompiled bytecode
local code = string.dump(function () return 42 end)
print(load(code))
print(load(code, "x", "b"))
print(load(code, "x", "bt"))
-- %%
print(load("return 1 + 1")())
