-- nn.lua: the nn module (global `nn`), neural networks as PyTorch's torch.nn
-- writes them: tensors with reverse-mode gradients, layers, losses, training
-- and PyTorch checkpoint files. The parts live in nn_*.lua; the kernels in
-- kernels/nn/ through geolab.nn_core.
local nn = {}

-- {===== parts (each adds its names to nn)
-- }=====

return nn
