-- bench/nn_mlp_step.lua: one training step of the course MLP (784-48-10,
-- batch 64, float32) through nn's tape: forward, cross entropy, backward and
-- a plain SGD update written with np (paired with nn_mlp_step.py: PyTorch,
-- 2 threads, OpenBLAS on one). Measures the Lua overhead around the BLAS
-- products: the step is a few dozen tensor operations.
local function best(f, reps, inner)
  collectgarbage()
  local m = math.huge
  for _ = 1, reps do
    local t = os.perf_counter()
    for _ = 1, inner do f() end
    m = math.min(m, (os.perf_counter() - t) / inner)
  end
  return m * 1000
end
local function result(case, ms) print(("RESULT %s %.4f"):format(case, ms)) end

nn.manual_seed(0)
local model = nn.Sequential{nn.Linear(784, 48), nn.ReLU(), nn.Linear(48, 10)}
local X = np.random.Generator(1):normal(0, 1, {64, 784}):astype("float32")
local y = np.random.Generator(2):integers(1, 11, {64})
local lossf = nn.CrossEntropyLoss()
local params = model:parameters()
local function step()
  local loss = lossf(model(X), y)
  model:zero_grad()
  loss:backward()
  for _, p in ipairs(params) do p.data[{}] = p.data - p.grad * 0.01 end
end
result("mlp_forward_64", best(function() nn.no_grad(model, X) end, 5, 200))
result("mlp_train_step_64", best(step, 5, 200))
