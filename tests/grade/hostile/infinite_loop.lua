-- %%
-- hostile: never ends
print("before")
-- %%
while true do end
