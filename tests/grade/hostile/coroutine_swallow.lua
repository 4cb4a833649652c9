-- %%
-- hostile: coroutines and pcall that swallow every error, forever
local co = coroutine.wrap(function ()
  while true do
    pcall(function () while true do coroutine.yield() end end)
  end
end)
while true do pcall(co) end
