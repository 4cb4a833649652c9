#!/usr/bin/env geolab
-- 04_deep_learning.lua: practical 4, neural networks. The course's
-- fully-connected network (MLP) and small CNN trained on Fashion-MNIST
-- (/usr/share/datasets/fashion-mnist, ./setup.sh installs it) and evaluated
-- on its test set and on the MNIST digits (data/mnist); then an MLP and a 1-D
-- CNN classifying the waveforms of practical 2's synthetic volcano events
-- (data/volcano/generate.lua).
-- Run from the project root: build/geolab scripts/04_deep_learning.lua [figure folder] [full]
-- Without `full` (the test's run, ~1 min) it trains on 3,000 images for 3
-- epochs and on 40 volcano events per class for 10 epochs; `full` is the
-- practical: 60,000 images, 10 epochs, 200 events per class, up to 100 epochs.
local outdir = (arg and arg[1]) or "figures"
local full = arg and arg[2] == "full"
local NTRAIN, EPOCHS = full and 60000 or 3000, full and 10 or 3
local NPER, VEPOCHS = full and 200 or 40, full and 100 or 10
fs.mkdir(outdir, {parents = true, exist_ok = true})
local figures = {}
local function save(fig, name)
  fig:savefig(fs.join(outdir, name), {dpi = 80})
  figures[#figures + 1] = name
end
nn.manual_seed(0)

-- {====== 1. Fashion-MNIST: 28 x 28 grey images of ten kinds of clothing
local FMNIST = "/usr/share/datasets/fashion-mnist"
local names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
  "Sneaker", "Bag", "Ankle boot"}
-- images as float32 in [0, 1], shape (N, 1, 28, 28), scaled in place (no
-- second float copy of the images); labels as 1-based classes
local function images(path)
  local x = np.read_idx(path):astype("float32")
  return np.divide(x, 255, {out = x}):reshape(-1, 1, 28, 28)
end
local function labels(path) return np.read_idx(path):astype("int64") + 1 end
local X = images(FMNIST .. "/train-images-idx3-ubyte.gz")[{{1, NTRAIN}}]
local y = labels(FMNIST .. "/train-labels-idx1-ubyte.gz")[{{1, NTRAIN}}]
local Xtest = images(FMNIST .. "/t10k-images-idx3-ubyte.gz")
local ytest = labels(FMNIST .. "/t10k-labels-idx1-ubyte.gz")
-- the last tenth of the training images for validation (the file is shuffled)
local nval = NTRAIN // 10
local Xtr, ytr = X[{{1, NTRAIN - nval}}], y[{{1, NTRAIN - nval}}]
local Xval, yval = X[{{NTRAIN - nval + 1, NTRAIN}}], y[{{NTRAIN - nval + 1, NTRAIN}}]
print(("Fashion-MNIST: train %s, validation %d, test %s, %s"):format(tostring(Xtr.shape), nval,
  tostring(Xtest.shape), Xtr.dtype))
print(("pixel mean %.4f, std %.4f; images per class in training: %s"):format(Xtr:mean(), Xtr:std(),
  table.concat(np.bincount(ytr, {minlength = 11})[{{2, 11}}]:totable(), " ")))

local fig, ax = plt.subplots(2, 5, {figsize = {10, 4.6}})
for c = 1, 10 do
  local k = np.flatnonzero(ytr:eq(c))[1]
  local a = ax[(c - 1) // 5 + 1][(c - 1) % 5 + 1]
  a:imshow(Xtr[{k, 1}], {cmap = "gray_r"}); a:set_title(names[c]); a:axis("off")
end
save(fig, "04_samples.png")

-- {====== 2. The two networks of the course
-- the MLP sees each image as a vector of 784 pixels (its last layer gives
-- scores, the logits; CrossEntropyLoss applies the softmax itself)
local mlp = nn.Sequential{nn.Linear(784, 48), nn.ReLU(), nn.Linear(48, 10)}
-- the CNN: two blocks of convolution, ReLU and 2 x 2 max pooling (28 -> 15 -> 8
-- pixels with padding 2), then one linear layer over 6 x 8 x 8 = 384 values
local cnn = nn.Module{
  conv1 = nn.Sequential{nn.Conv2d(1, 3, 3, {padding = 2}), nn.ReLU(), nn.MaxPool2d(2)},
  conv2 = nn.Sequential{nn.Conv2d(3, 6, 3, {padding = 2}), nn.ReLU(), nn.MaxPool2d(2)},
  fc = nn.Linear(384, 10),
  forward = function(self, x)
    x = self.conv2(self.conv1(x))
    return self.fc(x:flatten(1))
  end,
}
print()
print(mlp)
print(("MLP: %d trainable parameters"):format(nn.count_parameters(mlp)))
print(cnn)
print(("CNN: %d trainable parameters"):format(nn.count_parameters(cnn)))

-- {====== 3. Training, as the course writes it in PyTorch: Adam, batches in
-- a new random order each epoch, the loss and accuracy of every epoch on the
-- training batches and on the validation set. The options are the course's
-- extras for the volcano networks (part 7): the learning rate halved after
-- `plateau` epochs without a better validation loss, gradients clipped to a
-- norm, training stopped after `patience` epochs without one (the best
-- weights kept).
local function predict(model, Xe, bs)
  bs = bs or 1000
  model:eval()                           -- no dropout, batch norm's running statistics
  local out = {}
  nn.no_grad(function()                  -- no tape: faster, less memory
    for i = 1, #Xe, bs do out[#out + 1] = model(Xe[{{i, math.min(i + bs - 1, #Xe)}}]).data end
  end)
  return np.concatenate(out)             -- the scores (logits), one row per input
end

local function fit(model, Xt, yt, Xv, yv, o)
  local loader = nn.DataLoader(Xt, yt, {batch_size = o.batch_size, shuffle = true, seed = 0})
  local opt = optim.Adam(model:parameters(), {lr = o.lr, weight_decay = o.weight_decay or 0})
  local sched = o.plateau and optim.lr_scheduler.ReduceLROnPlateau(opt, {factor = 0.5, patience = o.plateau})
  local lossf = nn.CrossEntropyLoss()
  local h = {loss = {}, accuracy = {}, val_loss = {}, val_accuracy = {}}
  local best, best_loss, waited = nil, math.huge, 0
  for epoch = 1, o.epochs do
    model:train()
    local total, correct = 0, 0
    for xb, yb in loader:iter() do
      opt:zero_grad()
      local out = model(xb)
      local loss = lossf(out, yb)
      loss:backward()
      if o.clip then nn.utils.clip_grad_norm_(model:parameters(), o.clip) end
      opt:step()
      total = total + loss:item() * #yb
      correct = correct + out.data:argmax(1):eq(yb):astype("int64"):sum()
    end
    local scores = predict(model, Xv, o.batch_size)
    h.loss[epoch], h.accuracy[epoch] = total / #yt, correct / #yt
    h.val_loss[epoch] = lossf(scores, yv):item()
    h.val_accuracy[epoch] = ml.accuracy_score(yv, scores:argmax(1))
    print(("epoch %2d  loss %.4f  accuracy %.4f  validation loss %.4f  accuracy %.4f  lr %.3g"):format(epoch,
      h.loss[epoch], h.accuracy[epoch], h.val_loss[epoch], h.val_accuracy[epoch], opt.param_groups[1].lr))
    if sched then sched:step(h.val_loss[epoch]) end
    if o.patience then
      if h.val_loss[epoch] < best_loss then
        best_loss, waited, best = h.val_loss[epoch], 0, {}
        for k, v in pairs(model:state_dict()) do best[k] = v:copy() end
      else
        waited = waited + 1
        if waited >= o.patience then
          print(("early stop: no better validation loss for %d epochs"):format(o.patience))
          break
        end
      end
    end
  end
  if best then model:load_state_dict(best) end
  return h
end

local flat = function(a) return a:reshape(-1, 784) end
local runs = {
  {name = "MLP", model = mlp, prep = flat},
  {name = "CNN", model = cnn, prep = function(a) return a end},
}
for _, r in ipairs(runs) do
  print()
  print(("training the %s for %d epochs"):format(r.name, EPOCHS))
  r.history = fit(r.model, r.prep(Xtr), ytr, r.prep(Xval), yval, {epochs = EPOCHS, batch_size = 64, lr = 1e-3})
  r.pred = predict(r.model, r.prep(Xtest)):argmax(1)
  r.acc = ml.accuracy_score(ytest, r.pred)
  print(("%s test accuracy %.4f"):format(r.name, r.acc))
end

-- loss and accuracy curves, training and validation
local cfig, cax = plt.subplots(1, 2, {figsize = {11, 4}})
for k, r in ipairs(runs) do
  local ep = np.arange(1, #r.history.loss + 1)
  local col = "C" .. (k - 1)
  cax[1]:plot(ep, r.history.loss, {color = col, label = r.name .. " train"})
  cax[1]:plot(ep, r.history.val_loss, {color = col, ls = "--", label = r.name .. " validation"})
  cax[2]:plot(ep, r.history.accuracy, {color = col, label = r.name .. " train"})
  cax[2]:plot(ep, r.history.val_accuracy, {color = col, ls = "--", label = r.name .. " validation"})
end
cax[1]:set_ylabel("cross-entropy loss"); cax[2]:set_ylabel("accuracy")
for k = 1, 2 do cax[k]:set_xlabel("epoch"); cax[k]:legend() end
cfig:suptitle("Fashion-MNIST training curves")
save(cfig, "04_fashion_curves.png")

-- {====== 4. Where the CNN goes wrong
local pred = runs[2].pred
print()
print("CNN on the test set:")
io.write(ml.classification_report(ytest, pred, {labels = np.arange(1, 11), target_names = names, digits = 3}))
local mfig, max_ = plt.subplots{figsize = {8, 7}}
ml.ConfusionMatrixDisplay.from_predictions(ytest, pred, {labels = np.arange(1, 11), display_labels = names,
  cmap = "Blues", ax = max_, xticks_rotation = "vertical", colorbar = false})
max_:set_title(("CNN, Fashion-MNIST test set (accuracy %.3f)"):format(runs[2].acc))
save(mfig, "04_fashion_confusion.png")

-- the first 24 misclassified test images, true class above the predicted one
local wrong = np.flatnonzero(pred:ne(ytest))
print(("misclassified: %d of %d"):format(#wrong, #ytest))
local wfig, wax = plt.subplots(4, 6, {figsize = {12, 9}})
for k = 1, 24 do
  local a = wax[(k - 1) // 6 + 1][(k - 1) % 6 + 1]
  a:axis("off")
  if k <= #wrong then
    local i = wrong[k]
    a:imshow(Xtest[{i, 1}], {cmap = "gray_r"})
    a:set_title(("%s\n-> %s"):format(names[ytest[i]], names[pred[i]]), {fontsize = 9})
  end
end
save(wfig, "04_misclassified.png")

-- {====== 5. What the CNN's first layer learnt: its three 3 x 3 filters and
-- what they make of one test image (after ReLU and pooling), and the second
-- block's six maps
local sd = cnn:state_dict()
local w1 = sd["conv1.0.weight"]
local x1 = Xtest[{{1, 1}}]
local maps1, maps2
nn.no_grad(function()
  maps1 = cnn.conv1(x1)
  maps2 = cnn.conv2(maps1)
end)
maps1, maps2 = maps1.data, maps2.data
print(("filters %s, feature maps %s and %s"):format(tostring(w1.shape), tostring(maps1.shape),
  tostring(maps2.shape)))
local ffig, fax = plt.subplots(3, 6, {figsize = {12, 6.5}})
for r = 1, 3 do for c = 1, 6 do fax[r][c]:axis("off") end end
fax[1][1]:imshow(x1[{1, 1}], {cmap = "gray_r"}); fax[1][1]:set_title(names[ytest[1]])
for k = 1, 3 do
  local lim = np.abs(w1[{k, 1}]):max()
  fax[1][k + 1]:imshow(w1[{k, 1}], {cmap = "RdBu_r", vmin = -lim, vmax = lim})
  fax[1][k + 1]:set_title(("filter %d"):format(k))
  fax[2][k]:imshow(maps1[{1, k}], {cmap = "viridis"}); fax[2][k]:set_title(("conv1 map %d"):format(k))
end
for k = 1, 6 do
  fax[3][k]:imshow(maps2[{1, k}], {cmap = "viridis"}); fax[3][k]:set_title(("conv2 map %d"):format(k))
end
save(ffig, "04_filters.png")

-- {====== 6. The same networks on MNIST's handwritten digits: images of the
-- same size, but no class in common. A classifier still answers one of its ten
-- classes for anything it is shown: the accuracy against the digits' labels
-- is chance, and each digit goes mostly to the garment it looks like.
local Xm = images("data/mnist/t10k-images-idx3-ubyte.gz")
local ym = labels("data/mnist/t10k-labels-idx1-ubyte.gz")
print()
print(("MNIST test digits %s"):format(tostring(Xm.shape)))
for _, r in ipairs(runs) do
  local pm = predict(r.model, r.prep(Xm)):argmax(1)
  local line = {}
  for d = 1, 10 do
    local counts = np.bincount(pm[ym:eq(d)], {minlength = 11})[{{2, 11}}]   -- classes 1..10
    local c = counts:argmax()
    line[#line + 1] = ("%d->%s %.0f%%"):format(d - 1, names[c], 100 * counts[c] / counts:sum())
  end
  print(("%s: accuracy against the digit labels %.3f; most frequent answer per digit:"):format(r.name,
    ml.accuracy_score(ym, pm)))
  print("  " .. table.concat(line, ", "))
end

-- {====== 7. Volcano events (practical 2): the waveform of the best station,
-- scaled by its peak, as one channel of 8192 samples
local G, V = dofile("data/volcano/generate.lua"), dofile("data/volcano/features.lua")
local classes = G.classes
local W, yv = np.zeros({#classes * NPER, 1, G.npts}, "float32"), np.zeros({#classes * NPER}, "int64")
for c, cls in ipairs(classes) do
  for i = 1, NPER do
    -- the seeds of generate.lua's files: event i of a class is the same event
    local tr = V.pick(G.event(cls, np.random.Generator(c * 100003 + i)))
    local k = (c - 1) * NPER + i
    W[{k, 1}] = (tr / np.abs(tr):max()):astype("float32")
    yv[k] = c
  end
end
-- stratified 60 / 20 / 20 split: training, validation (learning rate and early
-- stopping), test
local Wtr, Wrest, vtr, vrest = ml.train_test_split(W, yv, {test_size = 0.4, stratify = yv, random_state = 0})
local Wval, Wte, vval, vte = ml.train_test_split(Wrest, vrest, {test_size = 0.5, stratify = vrest, random_state = 0})
print()
print(("volcano windows: %d events (%s), train %d, validation %d, test %d"):format(#yv,
  table.concat(classes, " "), #vtr, #vval, #vte))

-- the course's two networks for waveforms
local vmlp = nn.Sequential{nn.Flatten(), nn.Linear(8192, 1000), nn.ReLU(), nn.Linear(1000, 5)}
local function block(cin, cout)
  return nn.Sequential{nn.Conv1d(cin, cout, 11, {padding = 5}), nn.BatchNorm1d(cout), nn.ReLU(), nn.MaxPool1d(4)}
end
-- 8192 samples -> 2048 -> 512 -> 128 after the three poolings: 48 x 128 = 6144
local cnn1d = nn.Module{
  features = nn.Sequential{block(1, 12), block(12, 24), block(24, 48)},
  classifier = nn.Sequential{nn.Flatten(), nn.Linear(6144, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 5)},
  forward = function(self, x) return self.classifier(self.features(x)) end,
}
print(cnn1d)
print(("1-D CNN: %d trainable parameters; waveform MLP: %d"):format(nn.count_parameters(cnn1d),
  nn.count_parameters(vmlp)))

-- the course's recipe: Adam (lr 1e-4, weight decay 1e-4), the learning rate
-- halved after 5 epochs without a better validation loss, gradients clipped
-- to norm 1, training stopped after 10 epochs without one (the best weights
-- kept), batches of 32
local vruns = {{name = "waveform MLP", model = vmlp}, {name = "1-D CNN", model = cnn1d}}
for _, r in ipairs(vruns) do
  print()
  print(("training the %s (at most %d epochs)"):format(r.name, VEPOCHS))
  r.history = fit(r.model, Wtr, vtr, Wval, vval, {epochs = VEPOCHS, batch_size = 32, lr = 1e-4,
    weight_decay = 1e-4, plateau = 5, clip = 1.0, patience = 10})
  r.pred = predict(r.model, Wte, 50):argmax(1)
  r.acc = ml.accuracy_score(vte, r.pred)
  print(("%s test accuracy %.3f"):format(r.name, r.acc))
end
print()
print("1-D CNN on the test events:")
local pv = vruns[2].pred
print(ml.confusion_matrix(vte, pv, {labels = np.arange(1, 6)}))

local vfig, vax = plt.subplots(1, 2, {figsize = {11, 4}})
for k, r in ipairs(vruns) do
  local ep = np.arange(1, #r.history.loss + 1)
  local col = "C" .. (k - 1)
  vax[1]:plot(ep, r.history.loss, {color = col, label = r.name .. " train"})
  vax[1]:plot(ep, r.history.val_loss, {color = col, ls = "--", label = r.name .. " validation"})
  vax[2]:plot(ep, r.history.accuracy, {color = col, label = r.name .. " train"})
  vax[2]:plot(ep, r.history.val_accuracy, {color = col, ls = "--", label = r.name .. " validation"})
end
vax[1]:set_ylabel("cross-entropy loss"); vax[2]:set_ylabel("accuracy")
for k = 1, 2 do vax[k]:set_xlabel("epoch"); vax[k]:legend() end
vfig:suptitle("volcano events: training curves")
save(vfig, "04_volcano_curves.png")

local vcfig, vcax = plt.subplots{figsize = {6, 5}}
ml.ConfusionMatrixDisplay.from_predictions(vte, pv, {labels = np.arange(1, 6), display_labels = classes,
  normalize = "true", values_format = ".2f", cmap = "Blues", ax = vcax})
vcax:set_title(("1-D CNN, test events (accuracy %.3f)"):format(vruns[2].acc))
save(vcfig, "04_volcano_confusion.png")

print()
print("figures: " .. table.concat(figures, ", "))
