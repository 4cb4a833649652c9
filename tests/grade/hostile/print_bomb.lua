-- %%
-- hostile: a billion lines
for i = 1, 1e9 do print(i) end
-- %%
print("after")
