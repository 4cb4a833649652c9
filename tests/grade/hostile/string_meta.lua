-- %%
-- hostile: poisons the string metatable and the string library
print(pcall(function () getmetatable("").__index = function () return "forged" end end))
string.format = function () return "forged" end
string.rep = function () return "forged" end
_G.print = print
-- %%
print(("%d apples"):format(5))
print(("ab"):rep(2))
