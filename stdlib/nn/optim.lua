-- optim.lua: the optim module (global `optim`), torch.optim's optimisers and
-- learning-rate schedulers over nn parameters.
local optim = {}

return optim
