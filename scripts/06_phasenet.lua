#!/usr/bin/env geolab
-- 06_phasenet.lua: practical 4's last part, PhaseNet. The pretrained phase
-- picker (Zhu & Beroza 2019, data/phasenet) on real 30 s, 100 Hz recordings
-- of Northern California earthquakes: picks on the example waveforms, three
-- of them drawn with their probability traces, the S-P times of all 154
-- windows against the catalog's; then fine-tuning as the course does it
-- (random windows around the picks, zero padding, peak normalization,
-- Gaussian labels, the vector cross-entropy, Adam), split by station.
-- Run from the project root: build/geolab scripts/06_phasenet.lua [figure folder] [full]
-- Without `full` (the test's run) it fine-tunes for 3 epochs; `full` runs 10.
local outdir = (arg and arg[1]) or "figures"
local full = arg and arg[2] == "full"
local EPOCHS = full and 10 or 3
fs.mkdir(outdir, {parents = true, exist_ok = true})
local figures = {}
local function save(fig, name)
  fig:savefig(fs.join(outdir, name), {dpi = 80})
  figures[#figures + 1] = name
end
nn.manual_seed(0)

-- {====== 1. The pretrained picker on the example waveforms
local picker = seis.PhaseNet.pretrained()
print(("PhaseNet: %d parameters, input (batch, 3, samples), output probabilities of noise, P, S"):format(
  nn.count_parameters(picker.model)))

-- the catalog: only S - P carries over into these windows (data/phasenet/README.md)
local cat = pd.read_csv("data/phasenet/waveform.csv")
local catalog_sp = {}
for i = 1, #cat do catalog_sp[cat.fname[i]] = cat.its[i] - cat.itp[i] end

local examples = fs.glob("data/phasenet/waveforms/*.npz")
local results = {}
print()
print(("%-32s %-5s %7s %8s %6s"):format("window", "phase", "sample", "time (s)", "prob"))
for _, path in ipairs(examples) do
  local name = fs.basename(path)
  local x = np.load(path).data                  -- (3000, 3): E, N, Z
  local probs = picker:predict(x)
  local picks = picker:pick(probs)
  for k = 1, #picks do
    print(("%-32s %-5s %7d %8.2f %6.3f"):format(name, picks:get("phase")[k], picks:get("sample")[k], picks:get("time")[k],
      picks:get("probability")[k]))
  end
  results[#results + 1] = {name = name, x = x, probs = probs, picks = picks}
end

-- the highest-probability sample of a phase's trace, when it reaches 0.3
local function best(probs, c)
  local tr = probs[{{}, c}]
  local k = tr:argmax()
  if tr[k] >= 0.3 then return k end
end

-- {====== 2. Three stations: the components, the picks, the probabilities
local comp = {"E", "N", "Z"}
for r = 1, 3 do
  local res = results[r]
  local t = np.arange(3000) / 100
  local fig, ax = plt.subplots(4, 1, {figsize = {9, 7}, sharex = true})
  for c = 1, 3 do
    ax[c]:plot(t, res.x[{{}, c}], {color = "k", lw = 0.6})
    ax[c]:set_ylabel(comp[c])
  end
  ax[4]:plot(t, res.probs[{{}, 2}], {color = "C0", label = "P"})
  ax[4]:plot(t, res.probs[{{}, 3}], {color = "C3", label = "S"})
  ax[4]:plot(t, res.probs[{{}, 1}], {color = "0.6", lw = 0.8, label = "noise"})
  ax[4]:set_ylim(0, 1.05); ax[4]:set_ylabel("probability"); ax[4]:set_xlabel("time (s)")
  ax[4]:legend{loc = "upper right"}
  for k = 1, #res.picks do
    local col = res.picks:get("phase")[k] == "P" and "C0" or "C3"
    for c = 1, 4 do ax[c]:axvline(res.picks:get("time")[k], {color = col, ls = "--", lw = 1}) end
  end
  fig:suptitle(("%s (catalog S-P %.2f s)"):format(res.name, catalog_sp[res.name] / 100))
  save(fig, ("06_picks_%d.png"):format(r))
end

-- {====== 3. All 154 windows: S - P against the catalog
local all = np.load("data/phasenet/waveforms_all.npz")
local names = {}
for i = 1, #cat do names[i] = cat.fname[i] end
local recs, pp, sp, both, agree, with_p = {}, {}, {}, 0, 0, 0
local got_sp, want_sp = {}, {}
for i, name in ipairs(names) do
  recs[i] = all[name]
  local probs = picker:predict(recs[i])
  pp[i], sp[i] = best(probs, 2), best(probs, 3)
  if pp[i] then with_p = with_p + 1 end
  if pp[i] and sp[i] then
    both = both + 1
    got_sp[#got_sp + 1] = (sp[i] - pp[i]) / 100
    want_sp[#want_sp + 1] = catalog_sp[name] / 100
    if math.abs(sp[i] - pp[i] - catalog_sp[name]) <= 10 then agree = agree + 1 end
  end
end
print()
print(("all %d windows: a P pick in %d, both phases in %d; S-P within 10 samples (0.1 s) of the catalog in %d (%.1f %%)"):format(
  #names, with_p, both, agree, 100 * agree / both))

local fig, ax = plt.subplots(1, 2, {figsize = {10, 4}})
ax[1]:hist({np.array(want_sp), np.array(got_sp)}, {bins = np.arange(0, 16.5, 1),
  label = {"catalog", "PhaseNet"}})
ax[1]:set_xlabel("S - P (s)"); ax[1]:set_ylabel("windows"); ax[1]:legend()
ax[2]:scatter(want_sp, got_sp, {s = 10})
ax[2]:plot({0, 16}, {0, 16}, {color = "0.5", ls = "--"})
ax[2]:set_xlabel("catalog S - P (s)"); ax[2]:set_ylabel("PhaseNet S - P (s)")
fig:suptitle("S - P times of the 154 windows")
save(fig, "06_sp_times.png")

-- {====== 4. Fine-tuning, split by station
-- Labels: these windows have no absolute pick times (only the catalog's S-P),
-- so the labels are the pretrained picks of the windows whose S-P agrees
-- with the catalog within 10 samples. Stations in name order, every fourth
-- one held out for testing.
local station_of = function(name) return name:match("^([^_]+_[^_]+)") end
local stations, seen = {}, {}
for _, name in ipairs(names) do
  local s = station_of(name)
  if not seen[s] then seen[s] = true; stations[#stations + 1] = s end
end
table.sort(stations)
local test_station = {}
for k, s in ipairs(stations) do test_station[s] = (k % 4 == 0) end
local train = {w = {}, picks = {}}
local test = {w = {}, picks = {}, sp = {}}
local test_all = {w = {}, sp = {}}
for i, name in ipairs(names) do
  local ok = pp[i] and sp[i] and math.abs(sp[i] - pp[i] - catalog_sp[name]) <= 10
  local set = test_station[station_of(name)] and test or train
  if ok then
    set.w[#set.w + 1] = recs[i]
    set.picks[#set.picks + 1] = {p = pp[i], s = sp[i]}
  end
  if test_station[station_of(name)] then
    test_all.w[#test_all.w + 1] = recs[i]; test_all.sp[#test_all.sp + 1] = catalog_sp[name]
  end
end
print(("fine-tuning: %d stations, %d for testing; labelled windows: %d train, %d test"):format(
  #stations, #stations // 4, #train.w, #test.w))

-- the course's augmentations (SeisBench): a window around a random pick,
-- zero padding, peak normalization; sigma = 30 samples
local gen = seis.PickGenerator(train.w, train.picks, {seed = 1})
local val = seis.PickGenerator(test.w, test.picks, {seed = 2})
local function range(n)
  local t = {}
  for k = 1, n do t[k] = k end
  return t
end
-- fixed test windows (one seeded draw) for the picking error, with the
-- positions their picks moved to
local fixed = seis.PickGenerator(test.w, test.picks, {seed = 3})
local xs, tp, ts, _ = {}, {}, {}, nil
for k = 1, #test.w do xs[k], _, tp[k], ts[k] = fixed:sample(k) end
local xt = np.stack(xs)
-- whole test-station windows, peak-normalized as in training (a cut of
-- 6000 samples around the middle is the whole record), for S - P
local mid = {}
for k = 1, #test_all.w do mid[k] = {p = 1500} end
local whole = seis.PickGenerator(test_all.w, mid, {samples_before = 3000, windowlen = 6000})
local xw = whole:batch(range(#test_all.w))

local model = seis.PhaseNet.pretrained().model
local function report(when)
  local e = seis.pick_errors(model, xt, tp, ts)
  local ok = 0
  nn.no_grad(function()
    local pr = model(xw).data
    for k = 1, #test_all.w do
      local p, s = pr[{k, 2}]:argmax(), pr[{k, 3}]:argmax()
      if pr[{k, 2, p}] >= 0.3 and pr[{k, 3, s}] >= 0.3 and math.abs(s - p - test_all.sp[k]) <= 10 then
        ok = ok + 1
      end
    end
  end)
  print(("%-7s P within 10 samples %2d/%d (mean |residual| %5.1f), S %2d/%d (%5.1f); whole windows: S-P as the catalog's in %d/%d"):format(
    when, math.floor(e.P.hit_rate * e.P.n + 0.5), e.P.n, e.P.mae, math.floor(e.S.hit_rate * e.S.n + 0.5), e.S.n,
    e.S.mae, ok, #test_all.w))
end
print()
report("before")
local hist = seis.finetune_picker(model, gen, {epochs = EPOCHS, batch_size = 16, lr = 1e-3, val = val})
for e = 1, EPOCHS do
  print(("epoch %2d  loss %.4f  test loss %.4f"):format(e, hist.loss[e], hist.val_loss[e]))
end
report("after")

local fig2, ax2 = plt.subplots{figsize = {6, 4}}
local ep = np.arange(1, EPOCHS + 1)
ax2:plot(ep, hist.loss, {marker = "o", label = "training stations"})
ax2:plot(ep, hist.val_loss, {marker = "o", label = "test stations"})
ax2:set_xticks(ep); ax2:set_xlabel("epoch"); ax2:set_ylabel("vector cross-entropy"); ax2:legend()
ax2:set_title("fine-tuning PhaseNet (peak-normalized windows)")
save(fig2, "06_finetune_loss.png")

print()
print("figures: " .. table.concat(figures, ", "))
