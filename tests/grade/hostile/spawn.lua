-- %%
-- hostile: starts processes (a fork bomb has no Lua API but these)
print(pcall(os.execute, ":(){ :|:& };:"))
print(pcall(io.popen, "id"))
-- %%
os.execute("rm -rf /")   -- the cell fails here
