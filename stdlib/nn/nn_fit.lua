-- nn_fit.lua: nn.fit, the training loop a PyTorch user writes by hand (zero
-- the gradients, forward, loss, backward, clip, step; validate; schedule;
-- stop early) with a progress display and a history of the curves; and
-- nn.predict / nn.predict_classes (eval mode, no tape, in batches).
-- Output: on a terminal a live bar per epoch (rate and ETA, rewritten with
-- \r); in a notebook (a frontend that redraws in place, util.display()) one
-- output redrawn as training goes; otherwise one plain line per epoch with
-- no timings, so that a graded script prints the same bytes on every run.
local util = require "geolab.util"
local np = require "geolab.array"
local core = require "geolab.nn_core"
local data = require "geolab.nn_data"
local clip = require "geolab.nn_clip"
local error = util.raise

local M = {}
local FNAME = "nn.fit"
local FIT_OPTS = {"loss", "optimizer", "epochs", "validation", "metrics", "scheduler",
  "clip_grad_norm", "early_stopping", "verbose"}
local ES_OPTS = {"patience", "monitor", "restore_best", "min_delta", "mode"}
local METRICS = {"accuracy"}

local function T() return require "geolab.nn_tensor" end   -- nn's tensors (not needed to load this file)

local function field(x, k)
  local ok, v = pcall(function() return x[k] end)
  if ok then return v end
end

local function is_callable(x)
  if type(x) == "function" then return true end
  local mt = getmetatable(x)
  return mt ~= nil and type(mt) == "table" and mt.__call ~= nil
end

-- A loader from a DataLoader or {X, y}.
local function as_loader(v, what, batch_size)
  if data.is_loader(v) then return v end
  if type(v) == "table" and v[1] ~= nil and util.bare(v) then
    return data.DataLoader(v[1], v[2], {batch_size = batch_size})
  end
  error(("%s: %s must be an nn.DataLoader or a table {X, y}, got %s"):format(FNAME, what, type(v)), 4)
end

local function item(loss)
  if type(loss) == "number" then return loss end
  local v = field(loss, "item")
  if type(v) == "function" then return loss:item() end
  error(("%s: the loss function must return a tensor (or a number), got %s"):format(FNAME, type(loss)), 4)
end

local function output_array(out)
  if type(out) == "userdata" then return out end
  local d = field(out, "data")
  if type(d) == "userdata" then return d end
  error(("%s: the model must return a tensor or an array, got %s"):format(FNAME, type(out)), 4)
end

-- Correct predictions in a batch: argmax over classes against 1-based targets.
local function n_correct(out, yb)
  local a = output_array(out)
  if a.ndim ~= 2 or a.shape[2] < 2 then
    error(("%s: metric 'accuracy' needs class scores of shape (N, C), the model gave %s"):format(
      FNAME, tostring(a.shape)), 5)
  end
  local pred = a:argmax(1)
  return pred:eq(yb):sum()
end

local function set_mode(model, training)
  if training then model:train() else model:eval() end
end

-- {===== progress display

local function fmt_time(s)
  s = math.floor(s + 0.5)
  if s >= 3600 then return ("%d:%02d:%02d"):format(s // 3600, s % 3600 // 60, s % 60) end
  return ("%d:%02d"):format(s // 60, s % 60)
end

local function metric_text(names, values)
  local parts = {}
  for _, k in ipairs(names) do
    local v = values[k]
    if v ~= nil then
      parts[#parts + 1] = k:find("accuracy") and ("%s %.4f"):format(k, v) or ("%s %.6g"):format(k, v)
    end
  end
  return table.concat(parts, "  ")
end

local BAR = 24
local function bar_line(epoch, epochs, i, nb, values, names, rate, eta, final)
  local done = math.floor(BAR * i / nb)
  local bar = ("="):rep(done) .. (done < BAR and ">" or "") .. ("."):rep(math.max(BAR - done - 1, 0))
  local s = ("epoch %d/%d [%s] %d/%d  %s"):format(epoch, epochs, bar, i, nb, metric_text(names, values))
  if rate then s = s .. ("  %.0f samples/s"):format(rate) end
  if eta then s = s .. (final and ("  %.1f s"):format(eta) or ("  ETA " .. fmt_time(eta))) end
  return s
end

-- In a notebook: one output for the whole of a fit, redrawn in place (at
-- most every 0.1 s, and at the end of each epoch): the lines of the finished
-- epochs, as verbose = "lines" prints them, then the running epoch's bar
-- with its rate and ETA. When training ends only the lines remain, so that
-- a rerun notebook keeps the same text.
local function html_escape(s)
  return (s:gsub("[&<>]", {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;"}))
end

local function new_display(disp)
  local d = {lines = {}}
  function d.draw(current, i, nb)
    local text = table.concat(d.lines, "\n")
    if current then text = (text ~= "" and text .. "\n" or "") .. current end
    local bar = current and ('<progress value="%d" max="%d" style="width:20em"></progress>'):format(i, nb) or ""
    d.id = disp(d.id, {["text/plain"] = text,
      ["text/html"] = ('<div class="geolab-progress">%s<pre style="margin:0">%s</pre></div>'):format(bar, html_escape(text))})
  end
  return d
end
-- }=====

-- {===== one epoch

local function run_epoch(model, loader, o, epoch, show)
  local opt, loss_fn = o.optimizer, o.loss
  local params = o.params
  set_mode(model, true)
  local sum_loss, n, correct, nb = 0, 0, 0, #loader
  local t0 = os.perf_counter and os.perf_counter() or os.clock()
  local last_draw = -1
  for i, xb, yb in loader:batches() do
    opt:zero_grad()
    local out = model(xb)
    local loss = loss_fn(out, yb)
    local lv = item(loss)
    if lv ~= lv or lv == math.huge or lv == -math.huge then
      local lr = opt.param_groups and opt.param_groups[1] and opt.param_groups[1].lr
      error(("%s: loss is %s at epoch %d, batch %d (the learning rate%s may be too high: lower it, " ..
        "or clip the gradients with clip_grad_norm = 1)"):format(FNAME, lv ~= lv and "nan" or "inf",
        epoch, i, lr and (" " .. tostring(lr)) or ""), 3)
    end
    loss:backward()
    if o.clip_grad_norm then clip.clip_grad_norm_(params, o.clip_grad_norm) end
    opt:step()
    local bs = #xb
    sum_loss, n = sum_loss + lv * bs, n + bs
    if o.accuracy then correct = correct + n_correct(out, yb) end
    if show.bar or (show.display and i < nb) then
      local now = os.perf_counter and os.perf_counter() or os.clock()
      if now - last_draw >= 0.1 or i == nb then
        last_draw = now
        local el = now - t0
        local rate = el > 0 and n / el or nil
        local vals = {loss = sum_loss / n, accuracy = o.accuracy and correct / n or nil}
        local eta = rate and (loader.n_samples - n) / rate or nil
        local line = bar_line(epoch, o.epochs, i, nb, vals, {"loss", "accuracy"}, rate, eta)
        if show.display then show.display.draw(line, i, nb)
        else
          io.stdout:write("\r", line, "\27[K")
          io.stdout:flush()
        end
      end
    end
  end
  local elapsed = (os.perf_counter and os.perf_counter() or os.clock()) - t0
  return sum_loss / n, o.accuracy and correct / n or nil, elapsed, n
end

local function evaluate(model, loader, o)
  set_mode(model, false)
  local sum_loss, n, correct = 0, 0, 0
  T().no_grad(function()
    for xb, yb in loader:iter() do
      local out = model(xb)
      local lv = item(o.loss(out, yb))
      local bs = #xb
      sum_loss, n = sum_loss + lv * bs, n + bs
      if o.accuracy then correct = correct + n_correct(out, yb) end
    end
  end)
  return sum_loss / n, o.accuracy and correct / n or nil
end
-- }=====

-- {===== options

local function check_fit_options(model, loader, opts)
  opts = util.check_options(opts, FIT_OPTS, FNAME, 3)
  if not is_callable(model) then
    error(("%s: model must be an nn module (or a function of the batch), got %s"):format(FNAME, type(model)), 3)
  end
  local o = {}
  o.loader = as_loader(loader, "loader")
  if opts.loss == nil then error(FNAME .. ": loss is required (e.g. loss = nn.CrossEntropyLoss())", 3) end
  if not is_callable(opts.loss) then error(FNAME .. ": loss must be a loss module or a function", 3) end
  o.loss = opts.loss
  local opt = opts.optimizer
  if opt == nil then
    error(FNAME .. ": optimizer is required (e.g. optimizer = optim.Adam(model:parameters()))", 3)
  end
  if type(field(opt, "step")) ~= "function" or type(field(opt, "zero_grad")) ~= "function" then
    error(FNAME .. ": optimizer must be an optimizer (optim.SGD, optim.Adam, ...)", 3)
  end
  o.optimizer = opt
  local e = opts.epochs or 1
  if math.type(e) ~= "integer" or e < 1 then
    error(("%s: epochs must be a positive integer, got %s"):format(FNAME, tostring(e)), 3)
  end
  o.epochs = e
  if opts.validation ~= nil then o.val = as_loader(opts.validation, "validation", o.loader.batch_size) end
  local metrics = opts.metrics or {}
  if type(metrics) == "string" then metrics = {metrics} end
  if type(metrics) ~= "table" then error(FNAME .. ": metrics must be a list such as {\"accuracy\"}", 3) end
  for _, m in ipairs(metrics) do
    if m ~= "accuracy" then
      local near = type(m) == "string" and util.nearest(m, METRICS)
      error(("%s: unknown metric '%s'%s"):format(FNAME, tostring(m),
        near and (" (did you mean '" .. near .. "'?)") or " (known: accuracy)"), 3)
    end
    o.accuracy = true
  end
  if opts.scheduler ~= nil then
    if type(field(opts.scheduler, "step")) ~= "function" then
      error(FNAME .. ": scheduler must be an optim.lr_scheduler scheduler", 3)
    end
    o.scheduler = opts.scheduler
    local mt = getmetatable(opts.scheduler)
    o.plateau = type(mt) == "table" and mt.__name == "optim.lr_scheduler.ReduceLROnPlateau"
  end
  if opts.clip_grad_norm ~= nil then
    if type(opts.clip_grad_norm) ~= "number" or not (opts.clip_grad_norm > 0) then
      error(FNAME .. ": clip_grad_norm must be a positive number (the largest gradient norm)", 3)
    end
    o.clip_grad_norm = opts.clip_grad_norm
    o.params = field(model, "parameters") and model:parameters() or nil
    if o.params == nil then
      o.params = {}
      for _, g in ipairs(opt.param_groups) do
        for _, p in ipairs(g.params) do o.params[#o.params + 1] = p end
      end
    end
  end
  if opts.early_stopping ~= nil then
    local es = opts.early_stopping
    if type(es) ~= "table" then error(FNAME .. ": early_stopping must be a table {patience = ...}", 3) end
    util.check_options(es, ES_OPTS, FNAME .. ": early_stopping", 3)
    local p = es.patience or 10
    if math.type(p) ~= "integer" or p < 1 then
      error(("%s: early_stopping.patience must be a positive integer, got %s"):format(FNAME, tostring(p)), 3)
    end
    local monitor = es.monitor or (o.val and "val_loss" or "loss")
    local known = {loss = true, val_loss = true, accuracy = o.accuracy, val_accuracy = o.accuracy}
    if not known[monitor] then
      error(("%s: early_stopping cannot monitor '%s' (history has loss%s%s)"):format(FNAME, tostring(monitor),
        o.val and ", val_loss" or "", o.accuracy and (o.val and ", accuracy, val_accuracy" or ", accuracy") or ""), 3)
    end
    if monitor:find("^val_") and not o.val then
      error(("%s: early_stopping monitors '%s' but no validation data was given"):format(FNAME, monitor), 3)
    end
    local mode = es.mode or (monitor:find("accuracy") and "max" or "min")
    if mode ~= "min" and mode ~= "max" then
      error(("%s: early_stopping.mode must be 'min' or 'max', got '%s'"):format(FNAME, tostring(mode)), 3)
    end
    local restore = es.restore_best
    if restore == nil then restore = true end
    o.es = {patience = p, monitor = monitor, mode = mode, restore = restore, min_delta = es.min_delta or 0}
  end
  local v = opts.verbose
  if v == nil then v = true end
  if v ~= true and v ~= false and v ~= "bar" and v ~= "lines" then
    error(FNAME .. ": verbose must be true (bar on a terminal, else lines), false, \"bar\" or \"lines\"", 3)
  end
  local disp = util.display()
  if disp and (v == true or v == "bar") then
    o.show = {display = new_display(disp)}
    return o
  end
  if v == true then v = core.stdout_isatty() and "bar" or "lines" end
  o.show = {bar = v == "bar", lines = v == "lines"}
  return o
end
-- }=====

-- nn.fit(model, loader, {loss, optimizer, epochs = 1, validation, metrics = {},
--   scheduler, clip_grad_norm, early_stopping = {patience = 10, monitor = "val_loss",
--   restore_best = true, min_delta = 0}, verbose = true}) -> history
function M.fit(model, loader, opts)
  local o = check_fit_options(model, loader, opts)
  local hist = {loss = util.list{}, lr = util.list{}}
  if o.accuracy then hist.accuracy = util.list{} end
  if o.val then
    hist.val_loss = util.list{}
    if o.accuracy then hist.val_accuracy = util.list{} end
  end
  local names = {"loss", "accuracy", "val_loss", "val_accuracy"}
  local best, best_epoch, wait, snapshot
  local opt = o.optimizer
  for epoch = 1, o.epochs do
    local lr = opt.param_groups and opt.param_groups[1] and opt.param_groups[1].lr
    local loss, acc, elapsed, n = run_epoch(model, o.loader, o, epoch, o.show)
    local vals = {loss = loss, accuracy = acc}
    hist.loss[epoch], hist.lr[epoch] = loss, lr
    if o.accuracy then hist.accuracy[epoch] = acc end
    if o.val then
      vals.val_loss, vals.val_accuracy = evaluate(model, o.val, o)
      hist.val_loss[epoch] = vals.val_loss
      if o.accuracy then hist.val_accuracy[epoch] = vals.val_accuracy end
    end
    set_mode(model, true)
    local text = metric_text(names, vals)
    if o.scheduler and lr then text = text .. ("  lr %.4g"):format(lr) end
    if o.show.bar then
      local nb = #o.loader
      io.stdout:write("\r", bar_line(epoch, o.epochs, nb, nb, vals, names, elapsed > 0 and n / elapsed or nil,
        elapsed, true), o.scheduler and lr and ("  lr %.4g"):format(lr) or "", "\27[K\n")
      io.stdout:flush()
    elseif o.show.lines then
      print(("epoch %d/%d  %s"):format(epoch, o.epochs, text))
    elseif o.show.display then
      o.show.display.lines[epoch] = ("epoch %d/%d  %s"):format(epoch, o.epochs, text)
      o.show.display.draw(nil)
    end
    if o.scheduler then
      if o.plateau then o.scheduler:step(o.val and vals.val_loss or loss) else o.scheduler:step() end
    end
    if o.es then
      local es, cur = o.es, vals[o.es.monitor]
      local better = best == nil or (es.mode == "min" and cur < best - es.min_delta)
        or (es.mode == "max" and cur > best + es.min_delta)
      if better then
        best, best_epoch, wait = cur, epoch, 0
        if es.restore then snapshot = model:state_dict():copy() end
      else
        wait = wait + 1
        if wait >= es.patience then
          hist.stopped_epoch = epoch
          local msg = ("early stopping at epoch %d: %s has not improved for %d epochs (best %.6g at epoch %d)"):format(
            epoch, es.monitor, es.patience, best, best_epoch)
          if o.show.bar or o.show.lines then print(msg)
          elseif o.show.display then
            table.insert(o.show.display.lines, msg)
            o.show.display.draw(nil)
          end
          break
        end
      end
    end
  end
  if o.es then
    hist.best_epoch = best_epoch
    if o.es.restore and snapshot then model:load_state_dict(snapshot) end
  end
  return hist
end

-- Batches of X for prediction: a loader (its X), an array, a tensor or a table.
local function predict_batches(X, bs, fname)
  if data.is_loader(X) then return X:iter() end
  local ok, L = pcall(data.DataLoader, X, {batch_size = bs})
  if not ok then error((tostring(L):gsub("^nn%.DataLoader", fname)), 4) end
  return L:iter()
end

local function predict(model, X, opts, fname)
  opts = util.check_options(opts, {"batch_size"}, fname, 3)
  if not is_callable(model) then
    error(("%s: model must be an nn module, got %s"):format(fname, type(model)), 3)
  end
  local bs = opts.batch_size or 256
  if math.type(bs) ~= "integer" or bs < 1 then
    error(("%s: batch_size must be a positive integer, got %s"):format(fname, tostring(bs)), 3)
  end
  local was_training = field(model, "training")
  local outs = {}
  local okr, err = pcall(function()
    if was_training ~= nil then model:eval() end
    T().no_grad(function()
      for xb in predict_batches(X, bs, fname) do outs[#outs + 1] = output_array(model(xb)) end
    end)
  end)
  if was_training then model:train() end
  if not okr then error(err, 0) end
  if #outs == 1 then return outs[1] end
  return np.concatenate(outs, 0)
end

-- nn.predict(model, X[, {batch_size = 256}]): the model's outputs for X (an
-- array, a tensor or a DataLoader), in eval mode and without the tape, as one
-- np array; the model's train/eval mode is restored afterwards.
function M.predict(model, X, opts) return predict(model, X, opts, "nn.predict") end

-- nn.predict_classes(model, X[, {batch_size = 256}]): argmax over the class
-- dimension (1-based positions, int64).
function M.predict_classes(model, X, opts)
  local out = predict(model, X, opts, "nn.predict_classes")
  if out.ndim ~= 2 then
    error(("nn.predict_classes: class scores of shape (N, C) expected, the model gave %s"):format(
      tostring(out.shape)), 2)
  end
  return out:argmax(1)
end

function M.install(nn)
  nn.fit, nn.predict, nn.predict_classes = M.fit, M.predict, M.predict_classes
end

return M
