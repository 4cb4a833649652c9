-- ml_sklearn.lua: ml estimators, metrics and model selection against
-- scikit-learn 1.2 (fixtures from tests/fixtures/ml/gen_ml.py).
-- Deterministic estimators agree to 1e-8 (relative); randomized ones
-- (forests, RANSAC, boosting with subsampling, SVC probabilities) reach the
-- same score on the same split within the tolerance stated at each check.
local T = require "testlib"
local F = dofile("tests/fixtures/ml/cases.lua")
local RT = 1e-8

local Xr, yr, yo = np.array(F.reg.X), np.array(F.reg.y), np.array(F.reg.y_out)
local iris = pd.read_csv("data/iris/iris.csv")
local Xi = iris:to_array{"sepal.length", "sepal.width", "petal.length", "petal.width"}
local yi = iris["variety"]:tolist()
local Xs = np.array(F.iris_scaled)
local function rows(A, a, step) return A[{{a, -1, step}}] end   -- A[a-1::step] in NumPy

-- {====== preprocessing ======
do
  local P = F.pre
  local s = ml.StandardScaler():fit(Xr)
  T.close(s.mean_, P.standard.mean, RT); T.close(s.scale_, P.standard.scale, RT)
  T.close(s.var_, P.standard.var, RT)
  T.close(s:transform(Xr[{{1, 5}}]), P.standard.t5, RT, 1e-14)
  T.close(s:inverse_transform(s:transform(Xr)), Xr, 1e-12, 1e-12)
  local mm = ml.MinMaxScaler{feature_range = {-1, 2}}:fit(Xr)
  T.close(mm.min_, P.minmax.min, RT); T.close(mm.scale_, P.minmax.scale, RT)
  T.close(mm:transform(Xr[{{1, 5}}]), P.minmax.t5, RT, 1e-14)
  local rb = ml.RobustScaler():fit(Xr)
  T.close(rb.center_, P.robust.center, RT); T.close(rb.scale_, P.robust.scale, RT)
  T.close(rb:transform(Xr[{{1, 5}}]), P.robust.t5, RT, 1e-14)
  T.close(ml.Normalizer():fit_transform(Xr[{{1, 5}}]), P.normalizer_l2, RT)
  T.close(ml.Normalizer{norm = "l1"}:fit_transform(Xr[{{1, 5}}]), P.normalizer_l1, RT)
  local pf = ml.PolynomialFeatures{degree = 2}:fit(Xr[{{}, {1, 2}}])
  T.close(pf:transform(Xr[{{1, 3}, {1, 2}}]), P.poly.t3, RT)
  T.eq(pf:get_feature_names_out(), P.poly.names)
  T.close(pf.powers_, P.poly.powers)
  local pi = ml.PolynomialFeatures{degree = 3, interaction_only = true, include_bias = false}:fit(Xr)
  T.close(pi:transform(Xr[{{1, 2}}]), P.poly_inter.t2, RT)
  T.eq(pi:get_feature_names_out(), P.poly_inter.names)
  local oh = ml.OneHotEncoder{sparse_output = false}:fit(P.onehot.X)
  T.close(oh:transform(P.onehot.X), P.onehot.t)
  T.eq(oh:get_feature_names_out(), P.onehot.names)
  T.eq(oh:inverse_transform(oh:transform(P.onehot.X)), P.onehot.X)
  T.close(ml.OneHotEncoder{drop = "first"}:fit_transform(P.onehot.X), P.onehot.t_drop)
  local Xm = np.array(P.imputer.X)
  T.close(ml.SimpleImputer():fit(Xm).statistics_, P.imputer.mean, RT)
  T.close(ml.SimpleImputer{strategy = "median"}:fit(Xm).statistics_, P.imputer.median, RT)
  T.close(ml.SimpleImputer():fit_transform(Xm), P.imputer.t_mean, RT)
  local le = ml.LabelEncoder():fit(yi)
  T.eq(le.classes_, F.iris_names)
  T.eq(le:inverse_transform(le:transform(yi)), yi)
  -- codes count from 1: sklearn's [0, 1, 2] for setosa, versicolor, virginica
  T.eq(le:transform{"Setosa", "Versicolor", "Virginica"}, np.array({1, 2, 3}, "int64"))
  T.eq(ml.LabelEncoder():fit_transform{"b", "a", "c", "a"}, np.array({2, 1, 3, 1}, "int64"))
  T.err("y contains codes outside 1..3", function() le:inverse_transform{0} end)
  T.err("y contains codes outside 1..3", function() le:inverse_transform{4} end)
  -- float32 in, float32 out
  local x32 = Xr:astype("float32")
  T.eq(ml.StandardScaler():fit_transform(x32).dtype, "float32")
  T.eq(ml.MinMaxScaler():fit_transform(x32).dtype, "float32")
  T.eq(ml.PolynomialFeatures():fit_transform(x32).dtype, "float32")
end

-- {====== linear models ======
do
  local L = F.linear
  local m = ml.LinearRegression():fit(Xr, yr)
  T.close(m.coef_, L.linreg.coef, RT); T.close(m.intercept_, L.linreg.intercept, RT)
  T.close(m:score(Xr, yr), L.linreg.score, RT)
  m = ml.Ridge{alpha = 1.5}:fit(Xr, yr)
  T.close(m.coef_, L.ridge.coef, RT); T.close(m.intercept_, L.ridge.intercept, RT)
  m = ml.Ridge{alpha = 0.1}:fit(Xr[{{1, 3}}], yr[{{1, 3}}])
  T.close(m.coef_, L.ridge_wide.coef, 1e-7); T.close(m.intercept_, L.ridge_wide.intercept, 1e-7)
  m = ml.Lasso{alpha = 0.3}:fit(Xr, yr)
  T.close(m.coef_, L.lasso.coef, RT); T.close(m.intercept_, L.lasso.intercept, RT)
  T.eq(m.n_iter_, L.lasso.n_iter)
  m = ml.ElasticNet{alpha = 0.3, l1_ratio = 0.4}:fit(Xr, yr)
  T.close(m.coef_, L.enet.coef, RT); T.close(m.intercept_, L.enet.intercept, RT)
  T.eq(m.n_iter_, L.enet.n_iter)
  m = ml.HuberRegressor():fit(Xr, yo)
  -- scikit-learn's L-BFGS-B stops on its relative function decrease (ftol
  -- 2.2e-9) before tol=1e-12 is met: its optimum is good to about 1e-5
  T.close(m.coef_, L.huber.coef, 2e-5); T.close(m.intercept_, L.huber.intercept, 2e-5)
  T.close(m.scale_, L.huber.scale, 2e-5)
  T.eq(m.outliers_:sum(), L.huber.n_outliers)
  -- RANSAC draws its subsets as scikit-learn does (permutation, tracking
  -- selection or reservoir sampling from NumPy's legacy stream): same trials
  m = ml.RANSACRegressor{random_state = 0}:fit(Xr, yo)
  T.close(m:score(Xr, yr), L.ransac.score, RT)
  T.close(m.inlier_mask_, L.ransac.mask); T.eq(m.n_trials_, L.ransac.n_trials)
  m = ml.RANSACRegressor{min_samples = 0.5, residual_threshold = 1.0, random_state = 0}:fit(Xr, yo)
  T.close(m.inlier_mask_, L.ransac2.mask); T.eq(m.n_trials_, L.ransac2.n_trials)
  T.close(m.estimator_.coef_, L.ransac2.coef, RT)
  m = ml.RANSACRegressor{min_samples = 3, random_state = 5}:fit(Xr[{{}, {1}}], yo)
  T.close(m.inlier_mask_, L.ransac3.mask); T.close(m.estimator_.coef_, L.ransac3.coef, RT)
  m = ml.LogisticRegression():fit(Xi, yi)
  -- ml solves by Newton's method to machine precision; scikit-learn's lbfgs
  -- stops with a gradient of about 1e-5 (checked with scipy BFGS at gtol
  -- 1e-12, which agrees with ml to 1e-8): coefficients agree to 5e-4
  T.close(m.coef_, L.logreg.coef, 0, 5e-4); T.close(m.intercept_, L.logreg.intercept, 1e-4, 5e-4)
  T.close(m:predict_proba(rows(Xi, 1, 30)), L.logreg.proba5, 0, 1e-4)
  m = ml.LogisticRegression{C = 0.5}:fit(Xi[{{51, 150}}], {table.unpack(yi, 51, 150)})
  T.close(m.coef_, L.logreg_bin.coef, 0, 5e-4); T.close(m.intercept_, L.logreg_bin.intercept, 0, 5e-4)
  T.close(m:predict_proba(rows(Xi, 51, 20)), L.logreg_bin.proba5, 0, 1e-4)
  -- float32 preserved
  T.eq(ml.LinearRegression():fit(Xr:astype("float32"), yr).coef_.dtype, "float32")
end

-- {====== neighbours and naive Bayes ======
do
  local N = F.nb_knn
  local Q = np.array(N.query)
  for _, w in ipairs{"uniform", "distance"} do
    T.close(ml.KNeighborsClassifier{n_neighbors = 7, weights = w}:fit(Xs, yi):predict_proba(Q), N["knc_" .. w], RT)
    T.close(ml.KNeighborsClassifier{n_neighbors = 7, weights = w, algorithm = "brute"}:fit(Xs, yi):predict_proba(Q),
      N["knc_" .. w], RT)
    local r = ml.KNeighborsRegressor{n_neighbors = 4, weights = w}:fit(Xr[{{}, {1, 2}}], yr)
    T.close(r:predict(Xr[{{1, 10}, {1, 2}}] + 0.1), N["knr_" .. w], RT)
  end
  local g = ml.GaussianNB():fit(Xi, yi)
  T.close(g.theta_, N.gnb.theta, RT); T.close(g.var_, N.gnb.var, RT)
  T.close(g.class_prior_, N.gnb.prior, RT)
  T.close(g:predict_proba(rows(Xi, 1, 10)), N.gnb.proba, 1e-8, 1e-15)
end

-- {====== trees and ensembles ======
do
  local TR = F.trees
  local m = ml.DecisionTreeClassifier{random_state = 0}:fit(Xi, yi)
  T.close(m:predict_proba(rows(Xi, 1, 3) + 0.05), TR.dtc.proba, RT)
  T.close(m.feature_importances_, TR.dtc.imp, RT)
  T.eq(m:get_n_leaves(), TR.dtc.n_leaves); T.eq(m:get_depth(), TR.dtc.depth)
  m = ml.DecisionTreeClassifier{criterion = "entropy", max_depth = 3, min_samples_leaf = 5, random_state = 0}:fit(Xi, yi)
  T.close(m:predict_proba(rows(Xi, 1, 3) + 0.05), TR.dtc_entropy.proba, RT)
  T.close(m.feature_importances_, TR.dtc_entropy.imp, RT)
  m = ml.DecisionTreeRegressor{random_state = 0}:fit(Xr, yr)
  T.close(m:predict(Xr[{{1, 20}}] + 0.05), TR.dtr.pred, RT)
  T.close(m.feature_importances_, TR.dtr.imp, RT)
  T.eq(m:get_n_leaves(), TR.dtr.n_leaves)
  m = ml.DecisionTreeRegressor{max_depth = 4, min_samples_split = 10, random_state = 0}:fit(Xr, yr)
  T.close(m:predict(Xr[{{1, 20}}] + 0.05), TR.dtr_d4.pred, RT)
  T.close(m.feature_importances_, TR.dtr_d4.imp, RT)
  -- randomized ensembles: trees draw their seeds, bootstrap rows and feature
  -- orders from NumPy's legacy MT19937 stream exactly as scikit-learn does,
  -- so a random_state gives scikit-learn's forest (to rounding)
  local tr, te = np.array(TR.iris_train), np.array(TR.iris_test)
  local function take(l, idx) local o = {}; for i, k in ipairs(idx:totable()) do o[i] = l[k] end; return o end
  local ytr, yte = take(yi, tr), take(yi, te)
  local function sc(e) return e:fit(Xi[tr], ytr):score(Xi[te], yte) end
  T.close(sc(ml.RandomForestClassifier{random_state = 0}), TR.rfc_score, RT)
  T.close(sc(ml.ExtraTreesClassifier{random_state = 0}), TR.etc_score, RT)
  T.close(sc(ml.GradientBoostingClassifier{random_state = 0}), TR.gbc_score, RT)
  m = ml.RandomForestClassifier{random_state = 0, oob_score = true}:fit(Xi, yi)
  T.close(m.oob_score_, TR.rfc_oob, RT)
  T.close(m.feature_importances_, TR.rfc_imp, RT)
  local rtr, rte = np.arange(1, 91), np.arange(91, 121)
  T.close(ml.RandomForestRegressor{random_state = 0}:fit(Xr[rtr], yr[rtr]):score(Xr[rte], yr[rte]), TR.rfr_score, RT)
  -- gradient boosting without subsampling is deterministic (ties aside)
  m = ml.GradientBoostingRegressor{random_state = 0}:fit(Xr[rtr], yr[rtr])
  T.close(m:score(Xr[rte], yr[rte]), TR.gbr_score, 1e-8)
  T.close(m:predict(Xr[rte][{{1, 5}}]), TR.gbr_pred, 1e-8)
  m = ml.GradientBoostingRegressor{random_state = 3, subsample = 0.7, n_estimators = 30}:fit(Xr[rtr], yr[rtr])
  T.close(m:predict(Xr[rte][{{1, 5}}]), TR.gbr_sub_pred, 1e-8)
  m = ml.GradientBoostingClassifier{random_state = 0, n_estimators = 30}:fit(Xi[{{51, 150}}], {table.unpack(yi, 51, 150)})
  T.close(m:predict_proba(rows(Xi, 51, 10)), TR.gbc_bin_proba, 1e-8, 1e-12)
  m = ml.GradientBoostingClassifier{random_state = 0, n_estimators = 20}:fit(Xi, yi)
  T.close(m:predict_proba(rows(Xi, 1, 15)), TR.gbc_multi_proba, 1e-8, 1e-12)
end

-- {====== SVM ======
do
  local S = F.svm
  -- libsvm's solver (WSS3, shrinking, float kernel rows like libsvm's
  -- Qfloat), same tolerance 1e-3: the iterates follow libsvm's, so decision
  -- values agree to rounding (measured: 1.6e-14 or less; 1e-4..1.1e-3
  -- without float rows and shrinking)
  local m = ml.SVC():fit(Xi, yi)
  T.close(m:decision_function(rows(Xi, 1, 10)), S.rbf.dec, 0, 1e-9)
  T.close(m:score(Xi, yi), S.rbf.score, RT)
  T.eq(m.n_support_:sum(), np.array(S.rbf.n_support):sum())
  m = ml.SVC{kernel = "linear", C = 0.5}:fit(Xi, yi)
  T.close(m:decision_function(rows(Xi, 1, 10)), S.linear.dec, 0, 1e-9)
  m = ml.SVC{kernel = "poly", degree = 3, C = 2.0, gamma = "auto"}:fit(Xs, yi)
  T.close(m:decision_function(rows(Xs, 1, 10)), S.poly.dec, 0, 1e-9)
  m = ml.SVC{C = 10}:fit(Xs[{{51, 150}}], {table.unpack(yi, 51, 150)})
  T.close(m:decision_function(rows(Xs, 51, 10)), S.binary.dec, 0, 1e-9)
  -- without shrinking the solver stops at another point within tol (7.3e-4 here)
  local ns = ml.SVC{C = 10, shrinking = false}:fit(Xs[{{51, 150}}], {table.unpack(yi, 51, 150)})
  local dd = (ns:decision_function(rows(Xs, 51, 10)) - np.array(S.binary.dec)):abs():max()
  T.ok(dd > 1e-6 and dd < 2e-3, "SVC shrinking = false: a different stopping point, within tol")
  m = ml.SVR{C = 10, epsilon = 0.5}:fit(Xr, yr)
  T.close(m:predict(Xr[{{1, 10}}]), S.svr.pred, 0, 1e-9)
  T.eq(m.support_.size, S.svr.n_support)
  -- Platt scaling on 5 random folds: probabilities within 0.05
  m = ml.SVC{probability = true, random_state = 0}:fit(Xi, yi)
  T.close(m:predict_proba(rows(Xi, 1, 25)), S.proba, 0, 0.05)
  m = ml.LinearSVC():fit(Xs, yi)
  T.close(m.coef_, S.linearsvc.coef, 1e-5, 1e-6); T.close(m.intercept_, S.linearsvc.intercept, 1e-5, 1e-6)
end

-- {====== model selection ======
do
  local M = F.ms
  local folds = {}
  for f, _, te in ml.KFold{n_splits = 3}:split(np.zeros{10, 1}) do folds[f] = te:totable() end
  T.eq(folds, M.kfold3)
  folds = {}
  for f, _, te in ml.StratifiedKFold{n_splits = 3}:split(np.zeros{#M.skf_y, 1}, np.array(M.skf_y)) do folds[f] = te:totable() end
  T.eq(folds, M.skf3)
  folds = {}
  for f, _, te in ml.StratifiedKFold{n_splits = 5}:split(Xi, yi) do folds[f] = te:totable() end
  T.eq(folds, M.skf_iris)
  T.close(ml.cross_val_score(ml.GaussianNB(), Xi, yi, {cv = 5}), M.cvs_gnb, RT)
  T.close(ml.cross_val_score(ml.LinearRegression(), Xr, yr, {cv = 4}), M.cvs_lin, RT)
  T.close(ml.cross_val_score(ml.LinearRegression(), Xr, yr, {cv = 4, scoring = "neg_mean_squared_error"}), M.cvs_lin_mse, RT)
  local gs = ml.GridSearchCV(ml.SVC(), {C = {0.1, 1, 10}, kernel = {"linear", "rbf"}}, {cv = 5}):fit(Xi, yi)
  T.eq(gs.best_params_.C, M.grid.best_C); T.eq(gs.best_params_.kernel, M.grid.best_kernel)
  T.close(gs.best_score_, M.grid.best_score, RT)
  T.close(gs.cv_results_["mean_test_score"]:to_array(), M.grid.mean, RT)
  T.close(gs.cv_results_["rank_test_score"]:to_array(), M.grid.rank)
  local pipe = ml.make_pipeline(ml.StandardScaler(), ml.SVC())
  gs = ml.GridSearchCV(pipe, {svc__C = {0.5, 5}, svc__gamma = {"scale", 0.05}}, {cv = 4}):fit(Xi, yi)
  T.eq(gs.best_params_.svc__C, M.grid_pipe.best_C)
  T.close(gs.best_score_, M.grid_pipe.best_score, RT)
  T.close(gs.cv_results_["mean_test_score"]:to_array(), M.grid_pipe.mean, RT)
  local _, te = ml.validation_curve(ml.Ridge(), Xr, yr, {param_name = "alpha", param_range = {0.1, 10.0, 1000.0}, cv = 3})
  T.close(te, M.vc_test, RT)
  local sizes, trs, tes = ml.learning_curve(ml.GaussianNB(), Xi, yi, {cv = ml.KFold{n_splits = 5, shuffle = true},
    train_sizes = {30, 60, 120}, shuffle = true, random_state = 0})
  T.close(sizes, M.lc_sizes); T.close(trs, M.lc_train, RT); T.close(tes, M.lc_test, RT)
  -- random splits are scikit-learn's for the same random_state
  local tr, te = ml.train_test_split(np.arange(1, 151), {test_size = 0.3, random_state = 7})
  T.eq(tr:totable(), M.tts.train); T.eq(te:totable(), M.tts.test)
  tr, te = ml.train_test_split(np.arange(1, 151), {test_size = 0.3, random_state = 1, stratify = yi})
  T.eq(tr:totable(), M.tts_strat.train); T.eq(te:totable(), M.tts_strat.test)
  folds = {}
  for f, _, t in ml.KFold{n_splits = 4, shuffle = true, random_state = 3}:split(np.zeros{13, 1}) do folds[f] = t:totable() end
  T.eq(folds, M.kfold_shuffle)
  folds = {}
  for f, _, t in ml.StratifiedKFold{n_splits = 3, shuffle = true, random_state = 5}:split(np.zeros{#M.skf_y, 1}, np.array(M.skf_y)) do
    folds[f] = t:totable()
  end
  T.eq(folds, M.skf_shuffle)
  local pim = ml.permutation_importance(ml.GaussianNB():fit(Xi, yi), Xi, yi, {n_repeats = 4, random_state = 2})
  T.close(pim.importances, M.perm_imp, RT)
  -- train_test_split: sizes, stratification, reproducibility
  local a, b, c, d = ml.train_test_split(Xi, yi, {test_size = 0.3, random_state = 1, stratify = yi})
  T.eq({a.shape[1], b.shape[1], #c, #d}, {105, 45, 105, 45})
  local cnt = {}
  for _, v in ipairs(d) do cnt[v] = (cnt[v] or 0) + 1 end
  T.eq(cnt, {Setosa = 15, Versicolor = 15, Virginica = 15})
  local a2 = ml.train_test_split(Xi, yi, {test_size = 0.3, random_state = 1, stratify = yi})
  T.ok(a == a2, "train_test_split is reproducible")
  local p1, p2 = ml.train_test_split(np.arange(10), {test_size = 3, shuffle = false})
  T.eq(p1:totable(), {0, 1, 2, 3, 4, 5, 6}); T.eq(p2:totable(), {7, 8, 9})
end

-- {====== metrics ======
do
  local R = F.metrics
  local yt, yp = R.yt, R.yp
  T.close(ml.accuracy_score(yt, yp), R.acc, RT)
  T.close(ml.balanced_accuracy_score(yt, yp), R.bacc, RT)
  for _, av in ipairs{"macro", "weighted", "micro"} do
    T.close(ml.precision_score(yt, yp, {average = av}), R["p_" .. av], RT)
    T.close(ml.recall_score(yt, yp, {average = av}), R["r_" .. av], RT)
    T.close(ml.f1_score(yt, yp, {average = av}), R["f_" .. av], RT)
  end
  T.close(ml.f1_score(yt, yp, {average = "none"}), R.f_none, RT)
  T.close(ml.confusion_matrix(yt, yp), R.cm)
  T.close(ml.confusion_matrix(yt, yp, {normalize = "true"}), R.cm_true, RT)
  T.eq(ml.classification_report(yt, yp), R.report)
  T.eq(ml.classification_report(yt, yp, {digits = 3}), R.report3)
  local bt, bs, bp = np.array(R.bt), np.array(R.bs), np.array(R.bp)
  T.close(ml.precision_score(bt, bp), R.p_bin, RT)
  T.close(ml.recall_score(bt, bp), R.r_bin, RT)
  T.close(ml.f1_score(bt, bp), R.f_bin, RT)
  T.eq(ml.classification_report(bt, bp), R.report_bin)
  local fpr, tpr, thr = ml.roc_curve(bt, bs)
  T.close(fpr, R.fpr, RT); T.close(tpr, R.tpr, RT); T.close(thr, R.thr, RT)
  T.close(ml.roc_auc_score(bt, bs), R.auc, RT)
  local yv, pv = np.array(R.yv), np.array(R.pv)
  T.close(ml.r2_score(yv, pv), R.r2, RT)
  T.close(ml.mean_squared_error(yv, pv), R.mse, RT)
  T.close(ml.mean_squared_error(yv, pv, {squared = false}), R.rmse, RT)
  T.close(ml.root_mean_squared_error(yv, pv), R.rmse, RT)
  T.close(ml.mean_absolute_error(yv, pv), R.mae, RT)
  T.close(ml.median_absolute_error(yv, pv), R.medae, RT)
  T.close(ml.explained_variance_score(yv, pv), R.evs, RT)
  local d = ml.classification_report(yt, yp, {output_dict = true})
  T.close(d["macro avg"]["f1-score"], R.f_macro, RT)
  T.close(d.accuracy, R.acc, RT)
end

-- {====== edge cases: one feature, duplicated points, ten classes ======
do
  local E = F.edge
  local X1, y1 = np.array(E.X1), np.array(E.y1)
  local Q = X1[{{1, -1, 5}}] + 0.2
  T.close(ml.DecisionTreeClassifier{random_state = 0}:fit(X1, y1):predict(Q), E.dtc1_pred)
  T.close(ml.KNeighborsClassifier{n_neighbors = 3}:fit(X1, y1):predict_proba(Q), E.knn1_proba, RT)
  T.close(ml.GaussianNB():fit(X1, y1):predict(Q), E.gnb1_pred)
  -- a 1-D X is refused, as scikit-learn refuses it, with the reshape to use
  T.err("x:reshape(-1, 1) if your data has a single feature", function() ml.GaussianNB():fit(X1:reshape{-1}, y1) end)
  T.close(ml.GaussianNB():fit(X1:reshape{-1}:reshape(-1, 1), y1):predict(Q), E.gnb1_pred)
  -- string labels give string predictions
  local ys = {}
  for i, v in ipairs(y1:totable()) do ys[i] = "c" .. v end
  local pr = ml.DecisionTreeClassifier():fit(X1, ys):predict(Q)
  T.eq(type(pr), "table"); T.eq(pr[1], "c" .. E.dtc1_pred[1])
end

T.done()
