-- fit.lua: nn.fit, nn.predict and nn.predict_classes on a small MLP: fit is
-- the plain PyTorch-style loop (same weights and losses to the bit, clipping
-- and scheduler included), the loss falls, history lengths, early stopping
-- stops and restores the best weights, NaN detection, the plain-line output
-- exactly and the same with --threads 1 and 2, the bar on request, errors.
local T = require "testlib"

-- three Gaussian blobs in 4-D, 1-based labels
local function blobs(n, seed)
  local g = np.random.Generator(seed)
  local y = g:integers(1, 4, n)
  local centers = np.array{{2, 0, 0, 1}, {0, 2, 0, -1}, {0, 0, 2, 0}}
  local X = (centers[y] + g:normal(0, 0.7, {n, 4})):astype("float32")
  return X, y
end
local X, y = blobs(120, 1)
local Xv, yv = blobs(60, 2)
local function mlp()
  nn.manual_seed(3)
  return nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
end
local ce = nn.CrossEntropyLoss()

-- 1. fit is the plain loop: same weights, same epoch losses
local m1 = mlp()
local opt1 = optim.SGD(m1:parameters(), {lr = 0.2, momentum = 0.9})
local sched1 = optim.lr_scheduler.StepLR(opt1, 2, {gamma = 0.5})
local h = nn.fit(m1, nn.DataLoader(X, y, {batch_size = 16, shuffle = true, seed = 5}),
  {loss = ce, optimizer = opt1, epochs = 5, metrics = {"accuracy"}, scheduler = sched1,
   clip_grad_norm = 0.5, validation = {Xv, yv}, verbose = false})

local m2 = mlp()
local opt2 = optim.SGD(m2:parameters(), {lr = 0.2, momentum = 0.9})
local sched2 = optim.lr_scheduler.StepLR(opt2, 2, {gamma = 0.5})
local loader = nn.DataLoader(X, y, {batch_size = 16, shuffle = true, seed = 5})
local losses, lrs = {}, {}
for epoch = 1, 5 do
  m2:train()
  local sum, n = 0, 0
  lrs[epoch] = opt2.param_groups[1].lr
  for xb, yb in loader:iter() do
    opt2:zero_grad()
    local loss = ce(m2(xb), yb)
    loss:backward()
    nn.utils.clip_grad_norm_(m2:parameters(), 0.5)
    opt2:step()
    sum, n = sum + loss:item() * #xb, n + #xb
  end
  losses[epoch] = sum / n
  sched2:step()
end
local p1, p2 = m1:parameters(), m2:parameters()
for i = 1, #p1 do T.close(p1[i].data, p2[i].data, 0, 0, "fit = the plain loop, parameter " .. i) end
T.eq({table.unpack(h.loss)}, losses, "epoch losses of the plain loop")
T.eq({table.unpack(h.lr)}, {0.2, 0.2, 0.1, 0.1, 0.05}, "history.lr follows the scheduler")
for _, k in ipairs{"loss", "accuracy", "val_loss", "val_accuracy", "lr"} do
  T.eq(#h[k], 5, "history." .. k .. " has one value per epoch")
end
T.ok(h.loss[5] < 0.5 * h.loss[1], ("the loss falls: %g -> %g"):format(h.loss[1], h.loss[5]))
T.ok(h.val_accuracy[5] > 0.85, "validation accuracy " .. h.val_accuracy[5])
T.eq(m1.training, true, "fit leaves the model in training mode")
-- the last validation values are those of the final model
m1:eval()
local vl = nn.no_grad(function() return ce(m1(Xv), yv):item() end)
T.close(h.val_loss[5], vl, 1e-6, 0, "val_loss is the validation set's mean loss")
local pc = nn.predict_classes(m1, Xv)
T.eq(h.val_accuracy[5], pc:eq(yv):sum() / #yv, "val_accuracy")

-- 2. nn.predict: eval mode, no tape, batches joined; mode restored
local out = nn.predict(m1, Xv, {batch_size = 7})
T.eq(out.shape, {60, 3}, "predict shape")
T.eq(out.dtype, "float32", "predict dtype")
local direct = nn.no_grad(function() return m1(Xv).data end)
T.close(out, direct, 1e-6, 1e-6, "predict in batches of 7 = one forward")
T.eq(nn.predict_classes(m1, Xv, {batch_size = 7}):totable(), direct:argmax(1):totable(), "predict_classes")
T.eq(pc.dtype, "int64", "predict_classes gives int64 positions")
T.ok(pc:min() >= 1 and pc:max() <= 3, "1-based classes")
T.eq(m1.training, false, "predict restores eval mode")
m1:train()
nn.predict(m1, Xv)
T.eq(m1.training, true, "predict restores training mode")
T.close(nn.predict(m1, nn.DataLoader(Xv, yv, {batch_size = 25})), direct, 1e-6, 1e-6, "predict over a loader")

-- 3. early stopping: validation labels that cannot be learnt, so val_loss
-- rises; the best weights come back
do
  local g = np.random.Generator(9)
  local ybad = g:integers(1, 4, 60)
  local m = mlp()
  local hist = nn.fit(m, nn.DataLoader(X, y, {batch_size = 8, shuffle = true, seed = 1}),
    {loss = ce, optimizer = optim.Adam(m:parameters(), {lr = 0.05}), epochs = 40,
     validation = {Xv, ybad}, early_stopping = {patience = 3}, verbose = false})
  local best, bi = math.huge, 0
  for i, v in ipairs(hist.val_loss) do if v < best then best, bi = v, i end end
  T.ok(hist.stopped_epoch ~= nil and hist.stopped_epoch < 40, "stopped early at " .. tostring(hist.stopped_epoch))
  T.eq(hist.stopped_epoch, bi + 3, "stops patience epochs after the best")
  T.eq(#hist.loss, hist.stopped_epoch, "history ends at the stop")
  T.eq(hist.best_epoch, bi, "best_epoch")
  m:eval()
  local restored = nn.no_grad(function() return ce(m(Xv), ybad):item() end)
  T.close(restored, best, 1e-6, 0, "best weights restored")
end

-- 4. ReduceLROnPlateau gets the validation loss
do
  local m = mlp()
  local opt = optim.SGD(m:parameters(), {lr = 0.5})
  local sched = optim.lr_scheduler.ReduceLROnPlateau(opt, {factor = 0.5, patience = 0})
  local hist = nn.fit(m, nn.DataLoader(X, y, {batch_size = 30}), {loss = ce, optimizer = opt,
    epochs = 6, validation = {Xv, yv}, scheduler = sched, verbose = false})
  local ref = optim.lr_scheduler.ReduceLROnPlateau(
    optim.SGD({{data = np.zeros(1)}}, {lr = 0.5}), {factor = 0.5, patience = 0})
  local want = {}
  for i = 1, 6 do want[i] = ref.optimizer.param_groups[1].lr; ref:step(hist.val_loss[i]) end
  T.eq({table.unpack(hist.lr)}, want, "plateau scheduler stepped on val_loss")
end

-- 5. NaN loss stops with the epoch and batch
do
  local m = mlp()
  local Xr = X * 1e3
  T.err("nn.fit: loss is nan at epoch 1, batch 2 (the learning rate 1e+30 may be too high", function()
    nn.fit(m, nn.DataLoader(Xr, y, {batch_size = 10}), {loss = ce,
      optimizer = optim.SGD(m:parameters(), {lr = 1e30}), epochs = 2, verbose = false})
  end)
end

-- 6. printed output: plain lines when stdout is a file, exactly; the same
-- bytes with 1 and 2 threads; the bar on request
local child = [[
local g = np.random.Generator(1)
local y = g:integers(1, 4, 90)
local X = (np.array{{2, 0, 0, 1}, {0, 2, 0, -1}, {0, 0, 2, 0}}[y] + g:normal(0, 0.7, {90, 4})):astype("float32")
local m = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
local opt = optim.Adam(m:parameters(), {lr = 0.01})
local h = nn.fit(m, nn.DataLoader(X, y, {batch_size = 16, shuffle = true}), {loss = nn.CrossEntropyLoss(),
  optimizer = opt, epochs = 3, metrics = {"accuracy"}, validation = {X, y},
  scheduler = optim.lr_scheduler.ExponentialLR(opt, 0.5), verbose = VERBOSE})
io.stderr:write(string.format("%.17g %.17g %.17g %.17g\n", h.loss[3], h.accuracy[3], h.val_loss[3], h.val_accuracy[3]))
]]
local function run(threads, verbose)
  local dir = T.tmp("fit")
  os.execute("mkdir -p '" .. dir .. "'")
  local prog = dir .. "/child.lua"
  local f = assert(io.open(prog, "w")); f:write((child:gsub("VERBOSE", verbose))); f:close()
  local outf, errf = dir .. "/out.txt", dir .. "/err.txt"
  os.remove(outf)
  local ok = os.execute(("'%s' --threads %d '%s' > '%s' 2> '%s'"):format(arg[-1], threads, prog, outf, errf))
  local o = io.open(outf):read("a")
  local e = io.open(errf):read("a")
  return ok, o, e
end
local ok1, out1, err1 = run(1, "nil")
local ok2, out2 = run(2, "nil")
T.ok(ok1 and ok2, "child runs")
T.eq(out2, out1, "same output with --threads 1 and 2")
local lines = {}
for l in out1:gmatch("[^\n]+") do lines[#lines + 1] = l end
T.eq(#lines, 3, "one line per epoch")
T.ok(not out1:find("\r", 1, true) and not out1:find("samples/s", 1, true), "no bar, no timings in a file")
local l3, a3, v3, va3 = err1:match("(%S+) (%S+) (%S+) (%S+)")
T.eq(lines[3], ("epoch 3/3  loss %.6g  accuracy %.4f  val_loss %.6g  val_accuracy %.4f  lr 0.0025"):format(
  tonumber(l3), tonumber(a3), tonumber(v3), tonumber(va3)), "the plain line")
T.ok(lines[1]:find("^epoch 1/3  loss %d%.%d+  accuracy %d%.%d%d%d%d  val_loss %d%.%d+  val_accuracy %d%.%d%d%d%d  lr 0%.01$"),
  lines[1])
local _, bar = run(1, '"bar"')
T.ok(bar:find("\r", 1, true) and bar:find("samples/s", 1, true) and bar:find("ETA", 1, true)
  and bar:find("epoch 3/3 [========================] 6/6", 1, true), "the live bar")

-- 7. errors
local L = nn.DataLoader(X, y, {batch_size = 16})
local m = mlp()
local opt = optim.SGD(m:parameters(), {lr = 0.1})
T.err("nn.fit: loss is required", nn.fit, m, L, {optimizer = opt})
T.err("nn.fit: optimizer is required", nn.fit, m, L, {loss = ce})
T.err("nn.fit: unknown option 'epoch' (did you mean 'epochs'?)", nn.fit, m, L, {loss = ce, optimizer = opt, epoch = 2})
T.err("nn.fit: epochs must be a positive integer, got 0", nn.fit, m, L, {loss = ce, optimizer = opt, epochs = 0})
T.err("nn.fit: unknown metric 'acuracy' (did you mean 'accuracy'?)", nn.fit, m, L,
  {loss = ce, optimizer = opt, metrics = {"acuracy"}})
T.err("nn.fit: early_stopping monitors 'val_loss' but no validation data was given", nn.fit, m, L,
  {loss = ce, optimizer = opt, early_stopping = {patience = 2, monitor = "val_loss"}})
T.err("nn.fit: loader must be an nn.DataLoader or a table {X, y}, got string", nn.fit, m, "x", {loss = ce, optimizer = opt})
T.err("nn.predict: model must be an nn module, got nil", nn.predict, nil, X)
T.done()
