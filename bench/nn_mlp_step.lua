-- bench/nn_mlp_step.lua: one training step of the course MLP (784-48-10,
-- batch 64, float32) through nn's tape: forward, cross entropy, backward and
-- a plain SGD update written with np (paired with nn_mlp_step.py: PyTorch,
-- 2 threads, OpenBLAS on one). Measures the Lua overhead around the BLAS
-- products: the step is a few dozen tensor operations. The data and initial
-- weights are saved for the Python side; both print the loss and the logits'
-- magnitude at those weights as CHECK lines.
local function best(f, reps, inner)
  collectgarbage()
  local m = math.huge
  for _ = 1, (os.getenv("BENCH_QUICK") or "0") ~= "0" and 1 or reps do
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
local init = {X = X, y = y}
for k, v in pairs(model:state_dict()) do init[k] = v end
os.execute("mkdir -p bench/out")
np.savez("bench/out/nn_mlp_step.npz", init)
local logits
nn.no_grad(function() logits = model(X).data end)
local function check(case)
  print(("CHECK %s loss_at_init %.9g rtol=1e-5"):format(case, lossf(model(X), y):item()))
  print(("CHECK %s sum_abs_logits %.9g rtol=1e-5"):format(case, np.abs(logits:astype("float64")):sum()))
end
local function step()
  local loss = lossf(model(X), y)
  model:zero_grad()
  loss:backward()
  for _, p in ipairs(params) do p.data[{}] = p.data - p.grad * 0.01 end
end
check("mlp_forward_64")
check("mlp_train_step_64")
result("mlp_forward_64", best(function() nn.no_grad(model, X) end, 5, 200))
result("mlp_train_step_64", best(step, 5, 200))
