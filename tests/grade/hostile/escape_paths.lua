-- %%
-- hostile: reads outside the allowed folders through a symbolic link that
-- sits in the data folder and through `..` (arg[1] is the data folder)
local data = arg[1]
print(io.open(data .. "/etc_link/passwd"))
print(pcall(np.loadtxt, data .. "/etc_link/hostname"))
print(io.open(data .. "/../../../../../../../../etc/passwd"))
print(io.open(data .. "/secret_link"))
-- %%
print(io.open(data .. "/ok.txt"):read("a"))
