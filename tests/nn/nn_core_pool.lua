-- nn_core_pool.lua: geolab.nn_core's max, average and adaptive average
-- pooling and batch norm against PyTorch 1.13 (tests/fixtures/nn/
-- make_core.py, parts pool and bn): 1-D and 2-D, stride, padding, dilation,
-- ceil_mode, count_include_pad, divisor, batch norm in training (running
-- statistics updated in place) and eval, float64 and float32; argument
-- errors; the same bits with 1 and 2 threads.
local T = require "testlib"
local C = require "geolab.nn_core"

-- float64 to 1e-10, float32 to 1e-5 relative (absolute floor 1e-7 of the
-- largest value in float32, for sums that cancel to about zero).
local RTOL = {f64 = 1e-10, f32 = 1e-5}
local function cmp(got, want, sfx, msg) T.close_like(got, want, RTOL[sfx], msg) end

-- {===== pooling
local P = np.load("tests/fixtures/nn/core_pool.npz")
local function opt(name, k)
  local a = rawget(P, name .. "_" .. k)
  return a and a:totable()
end
local function flag(name, k, def)
  local a = rawget(P, name .. "_" .. k)
  if a == nil then return def end
  return a[1] == 1
end
for _, name in ipairs{"m1_basic", "m1_pad_dil", "m1_course", "m2_basic", "m2_ceil", "m2_overlap"} do
  local k, st, pad, dil = opt(name, "kernel_size"), opt(name, "stride"), opt(name, "padding"), opt(name, "dilation")
  local ceil = flag(name, "ceil_mode", false)
  for _, sfx in ipairs{"f64", "f32"} do
    local x, gy = P[("%s_x_%s"):format(name, sfx)], P[("%s_gy_%s"):format(name, sfx)]
    local y, idx = C.max_pool_forward(x, k, st, pad, dil, ceil)
    cmp(y, P[("%s_y_%s"):format(name, sfx)], sfx, name .. " " .. sfx)
    T.eq(idx.dtype, "int64")
    cmp(C.max_pool_backward(gy, idx, x), P[("%s_gx_%s"):format(name, sfx)], sfx, name .. " backward " .. sfx)
  end
end
for _, name in ipairs{"a1_basic", "a1_nopad", "a2_basic", "a2_ceil", "a2_cip_ceil", "a2_div"} do
  local k, st, pad = opt(name, "kernel_size"), opt(name, "stride"), opt(name, "padding")
  local ceil, cip = flag(name, "ceil_mode", false), flag(name, "count_include_pad", true)
  local div = rawget(P, name .. "_divisor_override")
  div = div and div[1]
  for _, sfx in ipairs{"f64", "f32"} do
    local x, gy = P[("%s_x_%s"):format(name, sfx)], P[("%s_gy_%s"):format(name, sfx)]
    cmp(C.avg_pool_forward(x, k, st, pad, ceil, cip, div), P[("%s_y_%s"):format(name, sfx)], sfx, name .. " " .. sfx)
    cmp(C.avg_pool_backward(gy, x, k, st, pad, ceil, cip, div), P[("%s_gx_%s"):format(name, sfx)], sfx,
        name .. " backward " .. sfx)
  end
end
for _, name in ipairs{"ad1", "ad2", "ad2_up"} do
  for _, sfx in ipairs{"f64", "f32"} do
    local x, gy = P[("%s_x_%s"):format(name, sfx)], P[("%s_gy_%s"):format(name, sfx)]
    cmp(C.adaptive_avg_pool_forward(x, opt(name, "output_size")), P[("%s_y_%s"):format(name, sfx)], sfx,
        name .. " " .. sfx)
    cmp(C.adaptive_avg_pool_backward(gy, x), P[("%s_gx_%s"):format(name, sfx)], sfx, name .. " backward " .. sfx)
  end
end
-- the tie in m1_basic's first window: the first position wins
T.eq(select(2, C.max_pool_forward(P.m1_basic_x_f64, {2}, {2}, {0}, {1}, false))[{1, 1, 1}], 0)
-- stride defaults to the kernel; a NaN wins
local ym = C.max_pool_forward(np.array{{{1.0, 0 / 0, 3.0, 4.0}}}, {2})
T.ok(ym[{1, 1, 1}] ~= ym[{1, 1, 1}] and ym[{1, 1, 2}] == 4, "NaN wins, stride = kernel")
-- 1-d windows of 4 (the 1-D CNN's pool, a branch-free path): a window of
-- -inf gives its first position, the last NaN wins, the first of a tie wins
do
  local inf, nan = math.huge, 0 / 0
  for _, dt in ipairs{"float64", "float32"} do
    local y4, i4 = C.max_pool_forward(np.array({{{-inf, -inf, -inf, -inf, 2, nan, 1, nan, 3, 5, 5, 1}}}, dt), {4})
    T.eq(i4:totable(), {{{0, 7, 9}}}, "MaxPool1d(4) indices " .. dt)
    T.ok(y4[{1, 1, 1}] == -inf and y4[{1, 1, 2}] ~= y4[{1, 1, 2}] and y4[{1, 1, 3}] == 5, "MaxPool1d(4) values " .. dt)
  end
end
-- long rows (windows of 2 and 4 take vectorised selects, several windows at
-- a time, then a scalar tail): -inf, NaN and ties against a loop written here
do
  local inf, nan = math.huge, 0 / 0
  local specials = {-inf, nan, 1, 1, 0.5, -inf, inf}
  local g = np.random.Generator(7)
  local u, pick = g:random(2 * 3 * 101):totable(), g:integers(1, #specials + 6, 2 * 3 * 101):totable()
  local vals = {}
  for i = 1, #u do vals[i] = specials[pick[i]] or u[i] end
  for _, k in ipairs{2, 4} do
    for _, dt in ipairs{"float64", "float32"} do
      local x = np.array(vals, dt):reshape(2, 3, 101)
      local y, idx = C.max_pool_forward(x, {k})
      local xt, yt, it = x:totable(), y:totable(), idx:totable()
      local bad = 0
      for a = 1, 2 do
        for c = 1, 3 do
          for o = 1, 101 // k do
            local m, best = xt[a][c][(o - 1) * k + 1], (o - 1) * k
            for j = 1, k - 1 do
              local v = xt[a][c][(o - 1) * k + j + 1]
              if v > m or v ~= v then m, best = v, (o - 1) * k + j end
            end
            local got = yt[a][c][o]
            if it[a][c][o] ~= best or not (got == m or (got ~= got and m ~= m)) then bad = bad + 1 end
          end
        end
      end
      T.eq(bad, 0, ("MaxPool1d(%d) on rows of 101 with -inf, NaN and ties, %s"):format(k, dt))
    end
  end
end
-- }

-- {===== batch norm
local B = np.load("tests/fixtures/nn/core_bn.npz")
for _, c in ipairs{{"bn1_train", true}, {"bn1_eval", false}, {"bn0_train", true}, {"bn2_train", true},
                   {"bn2_noaff", true}, {"bn2_eval", false}} do
  local name, training = c[1], c[2]
  for _, sfx in ipairs{"f64", "f32"} do
    local function get(k) return rawget(B, ("%s_%s_%s"):format(name, k, sfx)) end
    local x, w, b, gy = get("x"), get("w"), get("b"), get("gy")
    local rm, rv = get("rm0"):copy(), get("rv0"):copy()
    local y, mean, invstd = C.batch_norm_forward(x, w, b, rm, rv, training, B[name .. "_momentum"]:item(),
                                                 B[name .. "_eps"]:item())
    local tag = name .. " " .. sfx
    cmp(y, get("y"), sfx, tag)
    cmp(rm, get("rm"), sfx, tag .. " running_mean")
    cmp(rv, get("rv"), sfx, tag .. " running_var")
    local gx, gw, gb = C.batch_norm_backward(x, gy, w, mean, invstd, training)
    cmp(gx, get("gx"), sfx, tag .. " gx")
    if w then cmp(gw, get("gw"), sfx, tag .. " gw"); cmp(gb, get("gb"), sfx, tag .. " gb") end
  end
end
-- training without running statistics; eval returns the running ones
do
  local x = np.array{{1.0, 10.0}, {3.0, 20.0}}
  local y, mean, invstd = C.batch_norm_forward(x, nil, nil, nil, nil, true, 0.1, 0)
  T.close(mean, {2, 15}); T.close(invstd, {1, 0.2}); T.close(y, {{-1, -1}, {1, 1}})
  local _, m2, i2 = C.batch_norm_forward(x, nil, nil, np.array{1.0, 2.0}, np.array{4.0, 0.25}, false, 0.1, 0)
  T.close(m2, {1, 2}); T.close(i2, {0.5, 2})
end
-- }

-- {===== errors
local x4 = np.zeros{2, 3, 6, 6}
T.err("nn_core.max_pool_forward: x must be (N, C, L) or (N, C, H, W), got shape (6,6)",
      C.max_pool_forward, np.zeros{6, 6}, {2})
T.err("nn_core.max_pool_forward: kernel must be a list of 2 integers", C.max_pool_forward, x4, {2})
T.err("nn_core.max_pool_forward: stride must be >= 1, got 0", C.max_pool_forward, x4, {2, 2}, {0, 1})
T.err("nn_core.max_pool_forward: padding (2) must be at most half of the kernel size (3)",
      C.max_pool_forward, x4, {3, 3}, {1, 1}, {2, 0})
T.err("nn_core.max_pool_forward: output size is too small: input size 2, kernel 3 (dilation 1), padding 0",
      C.max_pool_forward, np.zeros{1, 1, 2}, {3})
T.err("nn_core.avg_pool_forward: divisor must be a non-zero integer", C.avg_pool_forward, x4, {2, 2}, nil, nil,
      false, true, 0)
T.err("nn_core.avg_pool_backward: gy has shape (2,3,2,2), expected (2,3,3,3)",
      C.avg_pool_backward, np.zeros{2, 3, 2, 2}, x4, {2, 2})
T.err("nn_core.max_pool_backward: idx must be the int64 array max_pool_forward returned",
      C.max_pool_backward, np.zeros{2, 3, 3, 3}, np.zeros{2, 3, 3, 3}, x4)
T.err("nn_core.max_pool_forward: x must be a float32 or float64 array, got int64",
      C.max_pool_forward, np.zeros({1, 1, 4}, {dtype = "int64"}), {2})
T.err("nn_core.adaptive_avg_pool_forward: output_size must be >= 1, got 0",
      C.adaptive_avg_pool_forward, x4, {0, 2})
T.err("nn_core.batch_norm_forward: running_mean must have one value per channel (3), got shape (2,)",
      C.batch_norm_forward, x4, nil, nil, np.zeros{2}, np.ones{3}, true, 0.1, 1e-5)
T.err("nn_core.batch_norm_forward: expected more than 1 value per channel when training, got input shape (1,3)",
      C.batch_norm_forward, np.zeros{1, 3}, nil, nil, nil, nil, true, 0.1, 1e-5)
T.err("nn_core.batch_norm_forward: running_mean and running_var are needed when not training",
      C.batch_norm_forward, x4, nil, nil, nil, nil, false, 0.1, 1e-5)
T.err("nn_core.batch_norm_forward: weight is float32 but x is float64",
      C.batch_norm_forward, x4, np.ones({3}, {dtype = "float32"}), nil, nil, nil, true, 0.1, 1e-5)
T.err("nn_core.batch_norm_forward: running_var must be contiguous (it is updated in place)",
      C.batch_norm_forward, x4, nil, nil, np.zeros{3}, np.ones{6}[{{1, -1, 2}}], true, 0.1, 1e-5)
-- }

T.same_bits("nn_batch_norm_pool", [[
  local C = require "geolab.nn_core"
  local g = np.random.Generator(3)
  local x = g:normal(1, 2, {33, 12, 700}):astype("float32")
  local w, b = g:normal(1, 0.1, {12}):astype("float32"), g:normal(0, 1, {12}):astype("float32")
  local rm, rv = np.zeros({12}, {dtype = "float32"}), np.ones({12}, {dtype = "float32"})
  local y, mean, invstd = C.batch_norm_forward(x, w, b, rm, rv, true, 0.1, 1e-5)
  local gy = g:normal(0, 1, x.shape):astype("float32")
  local gx, gw, gb = C.batch_norm_backward(x, gy, w, mean, invstd, true)
  local p, idx = C.max_pool_forward(y, {4}, {4}, {0}, {1}, false)
  local gp = C.max_pool_backward(p, idx, y)
  local a = C.avg_pool_forward(x:reshape{33, 12, 28, 25}, {3, 3}, {2, 2}, {1, 1}, true, false)
  return {y = y, mean = mean, invstd = invstd, rm = rm, rv = rv, gx = gx, gw = gw, gb = gb, p = p, gp = gp, a = a}
]])

T.done()
