#!/usr/bin/env geolab
-- 01_calibration.lua: practical 1, river sensor calibration (data part).
-- Water samples (suspended load, mg/L) are matched with the river sensors
-- (level, turbidity, temperature) at each sampling time.
-- Run from the project root: build/geolab scripts/01_calibration.lua [figure folder]

-- 1. The samples: ';'-separated, Date and Hour in separate columns, hours as
--    08:30 or 17:23:59.950000, many empty cells, French names with accents.
local chem = pd.read_csv("data/calibration/chemistry/CE_DIG_OBSERA_RIVERS_2019-09-26.csv",
  { sep = ";", parse_dates = { time = { "Date", "Hour" } }, index_col = "time" })
chem = chem:sort_index()
print(("samples: %d rows x %d columns, %s to %s"):format(chem.shape[1], chem.shape[2],
  pd.Timestamp(chem.index[1]), pd.Timestamp(chem.index[#chem])))
print(("with a suspended load: %d"):format(chem["Suspended Load"]:count()))

-- 2. The sensors: eight yearly 5-minute files, '#' header lines, missing
--    values coded -30000.0, NAN or 1e+10.
local hydro = pd.read_csv("data/calibration/hydrology/Data_CE_DIG_Hydro_*.csv.gz",
  { comment = "#", na_values = { -30000, "NAN", 1e10 }, parse_dates = { "datetime" },
    index_col = "datetime" })
print(("sensor records: %d, missing: level %d, turbidity %d, temperature %d"):format(#hydro,
  hydro.level:isna():sum(), hydro.turbidity:isna():sum(), hydro.temperature:isna():sum()))

-- 3. Clean: a 1-minute grid, gaps of up to 10 minutes filled linearly.
local h1 = hydro:resample("1min"):mean():interpolate { limit = 10 }
print(("1-minute grid: %d rows, still missing: turbidity %d"):format(#h1, h1.turbidity:isna():sum()))

-- 4. The sensor values at each sample time (nearest minute), then only the
--    samples that have everything.
local near = h1:reindex(chem.index, { method = "nearest", tolerance = "1min" })
local d = chem[{ "Suspended Load" }]:join(near):dropna()
print(("joined samples: %d"):format(#d))
print()
print(d:head())
print()
print(d:describe())
print()
print(d:corr())
print()
print(d:corr { method = "spearman" })

-- 5. Calibration: suspended load (mg/L) against turbidity (NTU).
--    Figures go to the folder given as the first argument (default "figures").
local outdir = (arg and arg[1]) or "figures"
os.execute("mkdir -p '" .. outdir .. "'")
local figures = {}
local function save(fig, name)
  local path = outdir .. "/" .. name
  fig:savefig(path)
  figures[#figures + 1] = name
end

local X = d:to_array { "turbidity" }
local y = d["Suspended Load"]:to_array()
print()
local lin = ml.LinearRegression():fit(X, y)
print(("linear fit: SL = %.4f * turbidity %+.2f   R2 = %.3f"):format(lin.coef_[1], lin.intercept_,
  lin:score(X, y)))
local resid = y - lin:predict(X)
print(("residuals: mean %.2f, std %.2f, min %.1f, max %.1f"):format(resid:mean(), resid:std(),
  resid:min(), resid:max()))

--    Robust fits: RANSAC (inliers within the median absolute deviation of y)
--    and Huber.
local ransac = ml.RANSACRegressor { random_state = 0 }:fit(X, y)
print(("RANSAC: SL = %.4f * turbidity %+.2f   inliers %d of %d   R2 (all) = %.3f"):format(
  ransac.estimator_.coef_[1], ransac.estimator_.intercept_, ransac.inlier_mask_:sum(), #y,
  ransac:score(X, y)))
local huber = ml.HuberRegressor():fit(X, y)
print(("Huber: SL = %.4f * turbidity %+.2f   outliers %d   R2 = %.3f"):format(huber.coef_[1],
  huber.intercept_, huber.outliers_:sum(), huber:score(X, y)))

--    A power law is a line in log-log axes: log10 SL = a log10 T + b.
local lX, ly = np.log10(X), np.log10(y)
local loglog = ml.LinearRegression():fit(lX, ly)
local a, b = loglog.coef_[1], loglog.intercept_
print(("log-log fit: SL = %.4f * turbidity^%.4f   R2 (log) = %.3f   R2 (mg/L) = %.3f"):format(
  10 ^ b, a, loglog:score(lX, ly), ml.r2_score(y, 10 ^ loglog:predict(lX))))

--    Level and turbidity together (log-log).
local X2 = np.log10(d:to_array { "level", "turbidity" })
local multi = ml.LinearRegression():fit(X2, ly)
print(("level + turbidity: log10 SL = %.4f log10 level %+.4f log10 T %+.4f   R2 (log) = %.3f"):format(
  multi.coef_[1], multi.coef_[2], multi.intercept_, multi:score(X2, ly)))

-- 6. Models compared on one train/test split (log10 of the three sensors).
local X3 = np.log10(d:to_array { "level", "turbidity", "temperature" })
local Xtr, Xte, ytr, yte = ml.train_test_split(X3, ly, { test_size = 0.3, random_state = 42 })
local models = {
  { "linear (turbidity)", ml.LinearRegression(), { 2 } },
  { "linear (level, turbidity)", ml.LinearRegression(), { 1, 2 } },
  { "linear (all three)", ml.LinearRegression(), { 1, 2, 3 } },
  { "random forest", ml.RandomForestRegressor { n_estimators = 200, min_samples_leaf = 3, random_state = 0 },
    { 1, 2, 3 } },
  { "SVR (rbf, scaled)", ml.make_pipeline(ml.StandardScaler(), ml.SVR { C = 3, epsilon = 0.05 }), { 1, 2, 3 } },
}
print()
print(("%-28s %9s %9s"):format("model", "R2 train", "R2 test"))
local preds = {}
for _, m in ipairs(models) do
  local cols = np.array(m[3])
  local model = m[2]:fit(Xtr[{ {}, cols }], ytr)
  local r2tr = model:score(Xtr[{ {}, cols }], ytr)
  local r2te = model:score(Xte[{ {}, cols }], yte)
  preds[#preds + 1] = { m[1], model:predict(Xte[{ {}, cols }]) }
  print(("%-28s %9.3f %9.3f"):format(m[1], r2tr, r2te))
end
local rf = models[4][2]
print(("random forest feature importances: level %.3f, turbidity %.3f, temperature %.3f"):format(
  rf.feature_importances_[1], rf.feature_importances_[2], rf.feature_importances_[3]))

-- 7. Figures.
--    Samples and fits, in log axes.
local tx = np.linspace(X:min(), X:max(), 100):reshape { -1, 1 }
local fig, ax = plt.subplots(1, 1, { figsize = { 7, 5 } })
ax:scatter(X:reshape { -1 }, y, { s = 12, label = "samples", alpha = 0.7 })
ax:scatter(X[ransac.inlier_mask_:logical_not()]:reshape { -1 }, y[ransac.inlier_mask_:logical_not()],
  { s = 12, color = "C3", label = "RANSAC outliers" })
ax:plot(tx:reshape { -1 }, lin:predict(tx), { color = "C1", label = "linear" })
ax:plot(tx:reshape { -1 }, ransac:predict(tx), { color = "C2", label = "RANSAC" })
ax:plot(tx:reshape { -1 }, 10 ^ loglog:predict(np.log10(tx)), { color = "C4", label = "power law (log-log)" })
ax:set_xscale("log"); ax:set_yscale("log")
ax:set_ylim(0.5, 3000)
ax:set_xlabel("turbidity (NTU)"); ax:set_ylabel("suspended load (mg/L)")
ax:set_title("Suspended load against turbidity"); ax:legend()
save(fig, "01_fits.png")

--    Residuals of the linear and log-log fits.
fig, ax = plt.subplots(1, 2, { figsize = { 10, 4 } })
ax[1]:scatter(X:reshape { -1 }, resid, { s = 10 })
ax[1]:axhline(0, { color = "k", linewidth = 0.8 })
ax[1]:set_xlabel("turbidity (NTU)"); ax[1]:set_ylabel("residual (mg/L)"); ax[1]:set_title("linear fit")
ax[2]:scatter(lX:reshape { -1 }, ly - loglog:predict(lX), { s = 10, color = "C4" })
ax[2]:axhline(0, { color = "k", linewidth = 0.8 })
ax[2]:set_xlabel("log10 turbidity"); ax[2]:set_ylabel("residual (log10 mg/L)"); ax[2]:set_title("log-log fit")
save(fig, "01_residuals.png")

--    The calibrated suspended load through time: the power law applied to
--    the hourly mean turbidity.
local hourly = h1:resample("1h"):mean()
local turb = hourly.turbidity:to_array()
local ok = turb:gt(0) & np.isfinite(turb)
local sl = np.full({ #turb }, np.nan)
sl[ok] = 10 ^ loglog:predict(np.log10(turb[ok]):reshape { -1, 1 })
fig, ax = plt.subplots(1, 1, { figsize = { 10, 4 } })
ax:plot(hourly.index, sl, { linewidth = 0.5, label = "calibrated (hourly)" })
ax:scatter(d.index, y, { s = 8, color = "C3", label = "samples" })
ax:set_yscale("log")
ax:set_ylabel("suspended load (mg/L)"); ax:set_title("Calibrated suspended load"); ax:legend()
save(fig, "01_timeseries.png")
print()
print(("hourly calibrated series: %d hours, %d with a value, mean %.1f mg/L"):format(#turb, ok:sum(),
  sl[ok]:mean()))

--    Predicted against observed on the test set.
fig, ax = plt.subplots(1, 1, { figsize = { 6, 6 } })
for i, p in ipairs(preds) do
  if i >= 3 then ax:scatter(yte, p[2], { s = 14, label = p[1], alpha = 0.8 }) end
end
ax:plot({ ly:min(), ly:max() }, { ly:min(), ly:max() }, { color = "k", linewidth = 0.8 })
ax:set_xlabel("observed log10 SL"); ax:set_ylabel("predicted log10 SL")
ax:set_title("Test set: predicted vs observed"); ax:legend()
save(fig, "01_predicted_observed.png")

print()
print("figures: " .. table.concat(figures, ", "))
