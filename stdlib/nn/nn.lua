-- nn.lua: the nn module (global `nn`), neural networks as PyTorch's torch.nn
-- writes them: tensors with reverse-mode gradients, layers, losses, training
-- and PyTorch checkpoint files. The parts live in nn_*.lua; the kernels in
-- kernels/nn/ through geolab.nn_core.
local nn = {}

-- {===== parts (each adds its names to nn)
require "geolab.nn_tensor_ops".install(nn)      -- Tensor, autograd, Parameter
require "geolab.nn_functional_loss".install(nn) -- nn.functional (F)
require "geolab.nn_module".install(nn)          -- Module, Sequential
require "geolab.nn_layers".install(nn)          -- Linear, Conv2d, ... layers
require "geolab.nn_loss".install(nn)            -- CrossEntropyLoss, ... losses
require "geolab.nn_clip".install(nn)           -- nn.utils.clip_grad_norm_
require "geolab.nn_data".install(nn)           -- nn.DataLoader
require "geolab.nn_checkpoint".install(nn)     -- load, save (PyTorch checkpoints)
require "geolab.nn_foreign".install(nn)        -- load_npz (TensorFlow... weights)
require "geolab.nn_fit".install(nn)            -- nn.fit, nn.predict, nn.predict_classes
-- }=====

return nn
