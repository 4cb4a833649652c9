-- optim.lua: optim's optimisers and schedulers and nn.utils.clip_grad_norm_
-- against PyTorch 1.13 (tests/fixtures/nn/make_optim.py): 10 steps of every
-- optimiser and option combination from the same weights and gradients,
-- float32 to 1e-6 and float64 to 1e-12 relative; param groups with an lr
-- changed mid-way; schedulers' lr sequences exactly; clipping; errors.
local T = require "testlib"
local F = np.load("tests/fixtures/nn/optim.npz")
local C = dofile("tests/fixtures/nn/optim_cases.lua")

-- parameters as the nn contract has them: data updated in place, grad
local function params(dtype)
  return {{data = F.p1:astype(dtype), requires_grad = true},
          {data = F.p2:astype(dtype), requires_grad = true}}
end
local function set_grads(ps, k, dtype)
  ps[1].grad = F.g1[k]:astype(dtype)
  ps[2].grad = F.g2[k]:astype(dtype)
end
local RTOL = {float32 = 1e-6, float64 = 1e-12}
local TAG = {float32 = "f32", float64 = "f64"}

-- A relative tolerance on every element; the absolute floor is the
-- tolerance times the array's largest magnitude (a weight that passes near
-- zero cannot keep a relative error of 1e-6 in float32).
local function close(got, want, rtol, msg)
  local scale = np.abs(want):max()
  T.close(got, want, rtol, rtol * scale, msg)
  T.eq(got.dtype, want.dtype, msg .. " dtype")
end

local keep = {}
for _, k in ipairs(C.keep) do keep[k] = true end
for _, dtype in ipairs{"float32", "float64"} do
  for i, case in ipairs(C.cases) do
    local name, opts = case[1], case[2]
    local ps = params(dtype)
    local d1 = ps[1].data
    local opt = optim[name](ps, opts)
    for k = 1, C.nstep do
      set_grads(ps, k, dtype)
      opt:step()
      if keep[k] then
        for j = 1, 2 do
          local key = ("case%d_%s_p%d_step%d"):format(i, TAG[dtype], j, k)
          close(ps[j].data, F[key], RTOL[dtype], ("%s case %d %s step %d p%d"):format(name, i, dtype, k, j))
        end
      end
    end
    T.ok(rawequal(ps[1].data, d1), name .. " updates data in place")
  end
  for i, case in ipairs(C.group_cases) do
    local name, defaults, g1 = case[1], case[2], case[3]
    local ps = params(dtype)
    local group1 = {params = {ps[1]}}
    for k, v in pairs(g1) do group1[k] = v end
    local opt = optim[name]({group1, {params = {ps[2]}}}, defaults)
    T.eq(opt.param_groups[2].lr, defaults.lr, name .. " group 2 takes the default lr")
    for k = 1, C.nstep do
      if k == 6 then opt.param_groups[1].lr = opt.param_groups[1].lr / 4 end
      set_grads(ps, k, dtype)
      opt:step()
    end
    for j = 1, 2 do
      close(ps[j].data, F[("group%d_%s_p%d"):format(i, TAG[dtype], j)], RTOL[dtype],
        ("%s groups %s p%d"):format(name, dtype, j))
    end
  end
end

-- a parameter without a gradient is left alone; zero_grad zeroes in place
do
  local ps = params("float64")
  local before = ps[2].data:copy()
  local opt = optim.Adam(ps, {lr = 0.1})
  ps[1].grad = F.g1[1]:copy()
  opt:step()
  T.close(ps[2].data, before, 0, 0, "no grad, no update")
  local g = ps[1].grad
  opt:zero_grad()
  T.ok(rawequal(ps[1].grad, g) and g:eq(0):all(), "zero_grad zeroes in place")
  opt:zero_grad{set_to_none = true}
  T.eq(ps[1].grad, nil, "zero_grad set_to_none")
end

-- state_dict / load_state_dict: a copy resumes exactly where the original is
do
  local ps, qs = params("float32"), params("float32")
  local a = optim.Adam(ps, {lr = 0.01, amsgrad = true})
  for k = 1, 3 do set_grads(ps, k, "float32"); a:step() end
  local sd = a:state_dict()
  T.eq(sd.param_groups[1].params, {1, 2}, "state_dict numbers the parameters")
  T.eq(sd.state[1].step, 3.0, "state_dict step")
  for j = 1, 2 do qs[j].data[{}] = ps[j].data end
  local b = optim.Adam(qs, {lr = 0.5})
  b:load_state_dict(sd)
  T.eq(b.param_groups[1].lr, 0.01, "load_state_dict sets the options")
  for k = 4, 6 do
    set_grads(ps, k, "float32"); a:step()
    set_grads(qs, k, "float32"); b:step()
  end
  T.close(qs[1].data, ps[1].data, 0, 0, "resumed optimiser gives the same weights")
  T.eq(sd.state[1].step, 3.0, "the saved state dict did not move with the optimiser")
  T.err("loaded state dict has 1 parameter groups, the optimizer has 2", function()
    optim.Adam({{params = {qs[1]}}, {params = {qs[2]}}}):load_state_dict(sd)
  end)
end

-- schedulers: the lr of both groups before each epoch, exactly PyTorch's
local function sgd2()
  return optim.SGD({{params = {{data = np.zeros(2)}}}, {params = {{data = np.zeros(2)}}, lr = 0.5}}, {lr = 0.1})
end
for i, s in ipairs(C.sched) do
  local opt = sgd2()
  local sched = optim.lr_scheduler[s[1]](opt, s[2])
  local want = F["sched" .. i]
  for e = 1, C.nepoch do
    local lr = {opt.param_groups[1].lr, opt.param_groups[2].lr}
    T.eq(lr, want[e]:totable(), ("%s case %d epoch %d"):format(s[1], i, e))
    T.eq(sched:get_last_lr(), lr, s[1] .. " get_last_lr")
    opt:step()
    sched:step()
  end
end
for i, o in ipairs(C.plateau) do
  local opt = optim.SGD({{params = {{data = np.zeros(2)}}}, {params = {{data = np.zeros(2)}}, lr = 0.05}}, {lr = 0.1})
  local sched = optim.lr_scheduler.ReduceLROnPlateau(opt, o)
  local want = F["plateau" .. i]
  for e = 1, #F.metrics do
    sched:step(F.metrics[e])
    T.eq({opt.param_groups[1].lr, opt.param_groups[2].lr}, want[e]:totable(),
      ("ReduceLROnPlateau case %d epoch %d"):format(i, e))
  end
end
-- positional forms as Python's
do
  local opt = sgd2()
  local s = optim.lr_scheduler.StepLR(opt, 2, 0.5)
  s:step(); s:step()
  T.eq(opt.param_groups[1].lr, 0.05, "StepLR(opt, step_size, gamma)")
end

-- clip_grad_norm_: the total norm and the clipped gradients
for _, dtype in ipairs{"float32", "float64"} do
  for i, c in ipairs(C.clip) do
    local ps = params(dtype)
    set_grads(ps, i + 1, dtype)
    local g1 = ps[1].grad
    local total = nn.utils.clip_grad_norm_(ps, c[1], {norm_type = c[2]})
    local tag = ("clip%d_%s_"):format(i, TAG[dtype])
    T.close(total, F[tag .. "total"]:item(), RTOL[dtype], 0, tag .. "total")
    T.ok(rawequal(ps[1].grad, g1), "clip_grad_norm_ scales in place")
    for j = 1, 2 do close(ps[j].grad, F[tag .. "g" .. j], RTOL[dtype], tag .. "g" .. j) end
  end
end
T.eq(nn.utils.clip_grad_norm_({{data = np.zeros(2)}}, 1), 0, "no gradients: norm 0")

-- errors
local p = {data = np.zeros(3, "float32"), grad = np.ones(3, "float32")}
T.err("optim.SGD: lr is required", optim.SGD, {p})
T.err("optim.SGD: unknown option 'momentun' (did you mean 'momentum'?)", optim.SGD, {p}, {lr = 1, momentun = 0.9})
T.err("optim.SGD: invalid learning rate: -1", optim.SGD, {p}, {lr = -1})
T.err("optim.SGD: Nesterov momentum requires a momentum and zero dampening", optim.SGD, {p}, {lr = 1, nesterov = true})
T.err("optim.Adam: invalid beta parameter at index 2: 1", optim.Adam, {p}, {betas = {0.9, 1}})
T.err("optim.Adam: optimizer got an empty parameter list", optim.Adam, {})
T.err("got a single tensor (write {p})", optim.Adam, p)
T.err("optim.Adam: some parameters appear in more than one parameter group", optim.Adam,
  {{params = {p}}, {params = {p}}})
T.err("optim.RMSprop: parameter 1 is not a tensor", optim.RMSprop, {{data = np.zeros(2, "int64")}})
do
  local q = {data = np.zeros(3, "float32"), grad = np.ones(4, "float32")}
  T.err("optim.Adam: gradient float32 (4,) does not match its parameter float32 (3,)", function()
    optim.Adam({q}):step()
  end)
  q.grad = np.ones(3)
  T.err("optim.SGD: gradient float64 (3,) does not match its parameter float32 (3,)", function()
    optim.SGD({q}, {lr = 0.1}):step()
  end)
end
T.err("optim.lr_scheduler.StepLR: step_size is required", optim.lr_scheduler.StepLR, optim.SGD({p}, {lr = 1}))
T.err("optim.lr_scheduler.StepLR: an optimizer expected as argument 1, got nil", optim.lr_scheduler.StepLR)
T.err("optim.lr_scheduler.ReduceLROnPlateau: factor should be < 1.0",
  optim.lr_scheduler.ReduceLROnPlateau, optim.SGD({p}, {lr = 1}), {factor = 2})
T.err("optim.lr_scheduler.ReduceLROnPlateau: mode 'low' is unknown",
  optim.lr_scheduler.ReduceLROnPlateau, optim.SGD({p}, {lr = 1}), {mode = "low"})
T.err("optim.lr_scheduler.ReduceLROnPlateau:step: the metric must be a number", function()
  optim.lr_scheduler.ReduceLROnPlateau(optim.SGD({p}, {lr = 1})):step()
end)
T.err("takes no argument (only ReduceLROnPlateau:step takes a metric)", function()
  optim.lr_scheduler.StepLR(optim.SGD({p}, {lr = 1}), 3):step(0.5)
end)
T.err("nn.utils.clip_grad_norm_: max_norm must be a number", nn.utils.clip_grad_norm_, {p})
do
  local q = {data = np.zeros(2), grad = np.array{1, 0 / 0}}
  T.err("nn.utils.clip_grad_norm_: the total norm of order 2 for gradients is non-finite", function()
    nn.utils.clip_grad_norm_({q}, 1, {error_if_nonfinite = true})
  end)
end

-- printing
local s = tostring(optim.SGD({p}, {lr = 0.1, momentum = 0.9}))
T.eq(s, [[SGD (
Parameter Group 1
    dampening: 0
    lr: 0.1
    maximize: False
    momentum: 0.9
    nesterov: False
    weight_decay: 0
)]], "print(opt)")

T.done()
