-- train_steps.lua: three SGD (momentum) and three Adam steps of the course
-- CNN and of practical 4's 1-D CNN, written as a PyTorch training loop, give
-- PyTorch 1.13's losses, weights and BatchNorm running statistics from the
-- same initial weights on the same batch (tests/fixtures/nn/make_steps.py),
-- in float32 and in float64.
local T = require "testlib"
local C = dofile("tests/fixtures/nn/steps_cases.lua")

-- the fixture's formula: offset + amp * sin(0.7 i + phase), i = 0, 1, ...
local DT = "float32"
local function wave(n, amp, offset, phase)
  return (offset + amp * np.sin(0.7 * np.arange(n) + phase)):astype(DT)
end

local function cnn()
  return nn.Module{
    conv1 = nn.Sequential{nn.Conv2d(1, 3, 3, {padding = 2}), nn.ReLU(), nn.MaxPool2d(2)},
    conv2 = nn.Sequential{nn.Conv2d(3, 6, 3, {padding = 2}), nn.ReLU(), nn.MaxPool2d(2)},
    fc = nn.Linear(384, 10),
    forward = function(self, x) return self.fc(self.conv2(self.conv1(x)):flatten(1)) end,
  }
end
local function block(cin, cout)
  return nn.Sequential{nn.Conv1d(cin, cout, 11, {padding = 5}), nn.BatchNorm1d(cout), nn.ReLU(), nn.MaxPool1d(4)}
end
local function cnn1d()
  return nn.Module{
    features = nn.Sequential{block(1, 12), block(12, 24), block(24, 48)},
    classifier = nn.Sequential{nn.Flatten(), nn.Linear(6144, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 5)},
    forward = function(self, x) return self.classifier(self.features(x)) end,
  }
end

local function init(model, rows)
  local sd = model:state_dict()
  for _, r in ipairs(rows) do
    local n = 1
    for _, s in ipairs(r[2]) do n = n * s end
    sd[r[1]] = wave(n, r[3], r[4], r[5]):reshape(r[2])
  end
  model:load_state_dict(sd, {strict = true})
end

local function run(R, dtype, tol)
  DT = dtype
  local data = {
    cnn = {wave(8 * 28 * 28, 0.5, 0.5, 0.9):reshape(8, 1, 28, 28), R.cnn_y},
    cnn1d = {wave(4 * 8192, 1.0, 0.0, 0.5):reshape(4, 1, 8192), R.cnn1d_y},
  }
  local OPT = {
    sgd = function(p, m) return optim.SGD(p, {lr = C.lr[m][1], momentum = 0.9}) end,
    adam = function(p, m) return optim.Adam(p, {lr = C.lr[m][2], weight_decay = 1e-4}) end,
  }

  -- errors relative to each tensor's largest value. float32: 1e-5 (reached:
  -- 5e-7 for SGD); Adam on the 1-D CNN 1e-4 (reached: 1.8e-5 on a conv bias,
  -- 8e-5 on the big Linear's row sums): Adam divides each gradient element by
  -- its own root mean square, so an element whose float32 gradient is a
  -- rounding residue of sums ordered differently from PyTorch's moves by a
  -- full step either way. float64 (steps64.npz): 1e-10, reached 4e-14 on every
  -- case, so the float32 differences are rounding, not a different algorithm.
  local function same(got, want, what, tol)
    local scale = math.max(np.abs(want):max(), 1e-30)
    local err = np.abs(got:astype("float64") - want:astype("float64")):max() / scale
    T.ok(err <= tol, ("%s: max |geolab - PyTorch| / max |PyTorch| = %.2e"):format(what, err))
  end

  for _, mname in ipairs{"cnn", "cnn1d"} do
    for _, oname in ipairs{"sgd", "adam"} do
      local model = (mname == "cnn" and cnn or cnn1d)()
      if DT == "float64" then model:double() end
      init(model, C[mname])
      model:train()
      if mname == "cnn1d" then model.classifier[4]:eval() end      -- Dropout off, as the fixture
      local opt = OPT[oname](model:parameters(), mname)
      local lossf = nn.CrossEntropyLoss()
      local x, y = data[mname][1], data[mname][2]
      local want_loss = R[mname .. "_" .. oname .. "_loss"]
      for step = 1, 3 do
        opt:zero_grad()
        local loss = lossf(model(x), y)
        loss:backward()
        opt:step()
        T.close(loss:item(), want_loss[step], tol, 0, ("%s %s %s: loss at step %d"):format(DT, mname, oname, step))
      end
      local tag = mname .. "_" .. oname
      local what = DT .. " " .. tag
      local tol = (DT == "float32" and tag == "cnn1d_adam") and 1e-4 or tol
      for key, v in pairs(model:state_dict()) do
        if key == C.big then
          same(v:reshape(-1)[{{1, -1, 997}}], R[tag .. ":" .. key .. ":sample"], what .. " " .. key .. " (every 997th)", tol)
          same(v:astype("float64"):sum(1), R[tag .. ":" .. key .. ":rowsum"], what .. " " .. key .. " (row sums)", tol)
        elseif v.dtype == "int64" then
          T.eq(v:totable(), R[tag .. ":" .. key]:totable(), what .. " " .. key)
        elseif DT == "float64" and v.ndim > 0 then   -- steps64.npz keeps every 13th value
          same(v:reshape(-1)[{{1, -1, 13}}], R[tag .. ":" .. key], what .. " " .. key, tol)
        else
          same(v, R[tag .. ":" .. key], what .. " " .. key, tol)
        end
      end
    end
  end
end
run(np.load("tests/fixtures/nn/steps.npz"), "float32", 1e-5)
if fs.exists("tests/fixtures/nn/steps64.npz") then run(np.load("tests/fixtures/nn/steps64.npz"), "float64", 1e-10) end
T.done()
