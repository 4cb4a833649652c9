-- %%
-- hostile: a __gc metamethod that would run forever after the script ends
setmetatable({}, {__gc = function () while true do end end})
local keep = setmetatable({}, {__gc = function () while true do end end})
_G.keep = keep
print("script done")
