#!/usr/bin/env geolab
-- 03_lidar.lua: practical 3, classifying terrestrial-lidar points of a dune
-- field (ground vs vegetation) from the geometry of their neighbourhoods at
-- three scales, then clustering the same features without labels, and a
-- second cloud (a tree) described the same way.
-- Run from the project root: build/geolab scripts/03_lidar.lua [output folder]
local outdir = (arg and arg[1]) or "figures"
os.execute("mkdir -p '" .. outdir .. "'")
local function save(fig, name) fig:savefig(outdir .. "/" .. name); print("wrote " .. name) end

-- 1. The two labelled clouds (x y z per line).
local floor = np.loadtxt("data/lidar/dunes/floor.xyz")
local veg = np.loadtxt("data/lidar/dunes/vegetation.xyz")
local P = np.concatenate{floor, veg}
local nf, nv = #floor, #veg
local y = np.concatenate{np.full({nf}, 1, {dtype = "int64"}), np.full({nv}, 2, {dtype = "int64"})}
local names = {"floor", "vegetation"}
print(("points: %d floor, %d vegetation"):format(nf, nv))
print(("extent: x %.2f..%.2f  y %.2f..%.2f  z %.2f..%.2f m"):format(P[{{}, 1}]:min(), P[{{}, 1}]:max(),
  P[{{}, 2}]:min(), P[{{}, 2}]:max(), P[{{}, 3}]:min(), P[{{}, 3}]:max()))

-- 2. Eigen-features of every point's neighbourhood at three radii.
local radii = {0.05, 0.1, 0.5}
local f = spatial.eigenfeatures(P, {radius = radii})
local nfeat = #spatial.feature_names
for s, r in ipairs(radii) do
  local cnt = f.count[{{}, s}]
  print(("r = %.2f m: neighbours median %d, min %d; planarity floor %.3f, vegetation %.3f"):format(r,
    math.floor(np.median(cnt)), math.floor(cnt:min()),
    np.nanmean(f.planarity[{{1, nf}, s}]), np.nanmean(f.planarity[{{nf + 1, -1}, s}])))
end
-- neighbourhoods with fewer than 3 points have NaN features: set them to 0
local X = np.where(f.X:isnan(), 0, f.X)

-- 3. Figures: the cloud by class and by planarity, and the ternary
--    (linear / planar / scattered) diagram of each scale.
local sub = np.arange(1, #P + 1, 7)      -- every 7th point keeps the figures light
local fig = plt.figure{figsize = {12, 5}}
local ax1 = fig:add_subplot(1, 2, 1, {projection = "3d"})
local sc1 = ax1:scatter(P[{sub, 1}], P[{sub, 2}], P[{sub, 3}], {c = y[sub], cmap = "viridis", s = 1})
ax1:set_title("class (yellow: vegetation)")
fig:colorbar(sc1, {ax = ax1, label = "class", shrink = 0.6})
local ax2 = fig:add_subplot(1, 2, 2, {projection = "3d"})
local sc2 = ax2:scatter(P[{sub, 1}], P[{sub, 2}], P[{sub, 3}], {c = f.planarity[{sub, 2}], cmap = "magma", s = 1})
ax2:set_title("planarity, r = 0.1 m")
fig:colorbar(sc2, {ax = ax2, label = "planarity", shrink = 0.6})
save(fig, "lidar_cloud.png")
local tfig, tax = plt.subplots(1, 3, {figsize = {15, 5}, projection = "ternary"})
for s, r in ipairs(radii) do
  local B = f.barycentric[{sub, s}]
  local _, _, tsc_ = plt.ternary(B[{{}, 1}], B[{{}, 2}], B[{{}, 3}], {ax = tax[s], c = y[sub], cmap = "viridis", s = 2,
    labels = {"1D (linear)", "2D (planar)", "3D (scattered)"}, title = ("r = %.2f m"):format(r)})
  if s == #radii then tfig:colorbar(tsc_, {ax = tax[s], label = "class", shrink = 0.7}) end
end
save(tfig, "lidar_ternary.png")

-- 4. A held-out strip of the cloud (-18.40 < x < -18.15 m, through the
--    vegetation patch) is kept for the end; the rest
--    is split 70/30, stratified by class, to train and test two classifiers
--    on each scale alone and on all scales together.
local px = P[{{}, 1}]
local held = (px:gt(-18.40):astype("int64") * px:lt(-18.15):astype("int64")):eq(1)
local rest = held:eq(false)
local Xr, yr = X[rest], y[rest]
print(("held out: %d points (%d vegetation), training pool: %d"):format(held:sum(), y[held]:eq(2):sum(), #yr))
local Xtr, Xte, ytr, yte = ml.train_test_split(Xr, yr, {test_size = 0.3, stratify = yr, random_state = 0})
-- SVC is quadratic in the samples: it trains on 3,000 of them
local ns = math.min(3000, #ytr)
local columns = {}
for s, r in ipairs(radii) do columns[#columns + 1] = {("r=%.2f"):format(r), {(s - 1) * nfeat + 1, s * nfeat}} end
columns[#columns + 1] = {"all scales", {1, 3 * nfeat}}
local rf_all
for _, cset in ipairs(columns) do
  local lbl, range = cset[1], cset[2]
  local A, B = Xtr[{{}, range}], Xte[{{}, range}]
  local scaler = ml.StandardScaler{}:fit(A)
  local svc = ml.SVC{kernel = "rbf", C = 10}:fit(scaler:transform(A[{{1, ns}}]), ytr[{{1, ns}}])
  local rf = ml.RandomForestClassifier{n_estimators = 100, max_depth = 12, random_state = 0}:fit(A, ytr)
  if lbl == "all scales" then rf_all = rf end
  for _, m in ipairs{{"SVC", svc, scaler:transform(B)}, {"random forest", rf, B}} do
    local pred = m[2]:predict(m[3])
    print()
    print(("%s, %s: accuracy %.4f"):format(lbl, m[1], ml.accuracy_score(yte, pred)))
    print(ml.classification_report(yte, pred, {target_names = names, digits = 3}))
    print(ml.confusion_matrix(yte, pred))
  end
end

-- 5. The held-out part classified by the all-scale forest: a figure and a
--    LAS file with the predicted class (ASPRS 2 = ground, 3 = low vegetation).
local Ph, yh = P[held], y[held]
local ph = rf_all:predict(X[held])
print()
print(("held-out part: accuracy %.4f"):format(ml.accuracy_score(yh, ph)))
print(ml.confusion_matrix(yh, ph))
local hfig = plt.figure{figsize = {7, 6}}
local hax = hfig:add_subplot(1, 1, 1, {projection = "3d"})
local hsc = hax:scatter(Ph[{{}, 1}], Ph[{{}, 2}], Ph[{{}, 3}], {c = ph, cmap = "viridis", s = 1})
hax:set_title("held-out part, predicted class")
hfig:colorbar(hsc, {ax = hax, label = "predicted class", shrink = 0.6})
save(hfig, "lidar_heldout.png")
local cls = np.where(ph:eq(1), 2, 3)
spatial.write_las(outdir .. "/dunes_classified.las", {x = Ph[{{}, 1}], y = Ph[{{}, 2}], z = Ph[{{}, 3}],
  classification = cls}, {scale = 0.0001})
local back = spatial.read_las(outdir .. "/dunes_classified.las")
print(("wrote dunes_classified.las: %d points, LAS %s, format %d, ground %d, vegetation %d"):format(
  back.header.point_count, back.version, back.point_format, back.classification:eq(2):sum(),
  back.classification:eq(3):sum()))

-- 6. Without labels: the standardised all-scale features, clustered by
--    k-means and a Gaussian mixture, and by DBSCAN on their first three
--    principal components; each scored against the labels.
local Z = ml.StandardScaler{}:fit_transform(X)
local pca = ml.PCA{n_components = 3}:fit(Z)
local Z3 = pca:transform(Z)
print()
print(("PCA: the first 3 components explain %.1f%% of the variance"):format(100 * pca.explained_variance_ratio_:sum()))
local results = {
  {"k-means (k=2)", ml.KMeans{n_clusters = 2, n_init = 4, random_state = 0}:fit(Z).labels_},
  {"Gaussian mixture (2, full)", ml.GaussianMixture{n_components = 2, random_state = 0}:fit(Z3):predict(Z3)},
  {"DBSCAN (eps=0.3, min_samples=20)", ml.DBSCAN{eps = 0.3, min_samples = 20}:fit(Z3).labels_},
}
print(("%-34s %8s %6s %6s"):format("clustering", "clusters", "ARI", "NMI"))
for _, r in ipairs(results) do
  local lab = r[2]
  local ncl = np.unique(lab[lab:gt(0)]).shape[1]
  print(("%-34s %8d %6.3f %6.3f"):format(r[1], ncl, ml.adjusted_rand_score(y, lab),
    ml.normalized_mutual_info_score(y, lab)))
end
local cfig, cax = plt.subplots(1, 2, {figsize = {12, 5}})
local csc1 = cax[1]:scatter(Z3[{sub, 1}], Z3[{sub, 2}], {c = y[sub], s = 2, cmap = "viridis"})
cax[1]:set_title("PCA of the features: class")
local h1, l1 = csc1:legend_elements()
cax[1]:legend(h1, l1, {title = "class", markerscale = 4})
local csc2 = cax[2]:scatter(Z3[{sub, 1}], Z3[{sub, 2}], {c = results[1][2][sub], s = 2, cmap = "tab10"})
cax[2]:set_title("k-means clusters")
local h2, l2 = csc2:legend_elements()
cax[2]:legend(h2, l2, {title = "cluster", markerscale = 4})
for _, a in ipairs{cax[1], cax[2]} do a:set_xlabel("PC 1"); a:set_ylabel("PC 2") end
save(cfig, "lidar_clusters.png")

-- 7. Another cloud, the course's ski-slope tree (data/lidar/ski/tree.xyz):
--    the dominant dimensionality of each neighbourhood (the largest
--    barycentric coordinate: 1-D linear, 2-D planar, 3-D scattered) at three
--    radii, and a view coloured by it at 1 m.
local tree = np.loadtxt("data/lidar/ski/tree.xyz")
local ft = spatial.eigenfeatures(tree, {radius = {0.5, 1, 2}})
print()
print(("ski tree: %d points; dominant dimensionality (1-D / 2-D / 3-D / too few neighbours):"):format(#tree))
local dims1
for s, r in ipairs{0.5, 1, 2} do
  local B = ft.barycentric[{{}, s}]
  local dim = np.where(B[{{}, 1}]:isnan(), 0, B:argmax(1))
  if s == 2 then dims1 = dim end
  print(("r = %.1f m: %5d %5d %5d %5d   mean verticality %.3f"):format(r, dim:eq(1):sum(), dim:eq(2):sum(),
    dim:eq(3):sum(), dim:eq(0):sum(), np.nanmean(ft.verticality[{{}, s}])))
end
-- isolated returns (fewer than 10 neighbours within 2 m) are left out of the view
local keep = ft.count[{{}, 3}]:ge(10)
print(("isolated points left out of the figure: %d"):format(#tree - keep:sum()))
local tk = tree[keep]
local tfig3 = plt.figure{figsize = {7, 7}}
local tax3 = tfig3:add_subplot(1, 1, 1, {projection = "3d"})
local tsc = tax3:scatter(tk[{{}, 1}], tk[{{}, 2}], tk[{{}, 3}], {c = dims1[keep], cmap = "viridis", s = 1, vmin = 0, vmax = 3})
tax3:set_title("ski tree: dominant dimensionality at r = 1 m")
tfig3:colorbar(tsc, {ax = tax3, label = "dimensionality", shrink = 0.6})
save(tfig3, "lidar_tree.png")
