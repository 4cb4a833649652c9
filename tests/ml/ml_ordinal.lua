-- ml_ordinal.lua: OrdinalEncoder against scikit-learn 1.2.1
-- (tests/fixtures/ml/ordinal.lua from gen_ordinal.py). geolab's codes count
-- from 1, like LabelEncoder's: sklearn's code k is k+1 here.
local T = require "testlib"
local F = dofile("tests/fixtures/ml/ordinal.lua")

local enc = ml.OrdinalEncoder():fit(F.X)
T.eq(enc.categories_, F.categories, "categories_ sorted per column as sklearn")
T.close(enc:transform(F.X), np.array(F.t) + 1, 0, 0, "codes are sklearn's + 1")
T.eq(enc:transform(F.X).dtype, "float64")
T.eq(enc:inverse_transform(enc:transform(F.X)), F.X, "inverse_transform gives the labels back")

-- unknown categories: sklearn's unknown_value is kept as given, known codes + 1
local u = ml.OrdinalEncoder{handle_unknown = "use_encoded_value", unknown_value = -1}:fit(F.X)
local want = np.array(F.t_unknown)
want = np.where(want:eq(-1), -1, want + 1)
T.close(u:transform(F.Xn), want, 0, 0, "use_encoded_value")
T.ok(np.isnan(ml.OrdinalEncoder{handle_unknown = "use_encoded_value", unknown_value = np.nan}
  :fit(F.X):transform{{"peat", 3, "N"}}[{1, 1}]), "unknown_value NaN")

-- a frame: string and number columns
local df = pd.DataFrame{soil = {"clay", "sand", "clay"}, zone = {3, 1, 3}}
T.eq(ml.OrdinalEncoder():fit_transform(df):totable(), {{1, 2}, {2, 1}, {1, 2}}, "frame columns")
T.eq(ml.OrdinalEncoder():fit(df).feature_names_in_, {"soil", "zone"})

-- bad input
T.err("ml.OrdinalEncoder.transform: found unknown category 'peat' in column 1 during transform (use handle_unknown='use_encoded_value')",
  function() return enc:transform(F.Xn) end)
T.err("ml.OrdinalEncoder.transform: X has 2 features, but OrdinalEncoder was fitted with 3",
  function() return enc:transform{{"clay", 3}} end)
T.err("ml.OrdinalEncoder.fit: unknown_value (a number, e.g. 0 or np.nan) must be given exactly when handle_unknown='use_encoded_value'",
  function() return ml.OrdinalEncoder{handle_unknown = "use_encoded_value"}:fit(F.X) end)
T.err("ml.OrdinalEncoder.fit: unknown_value 2 is also the code of a category of column 1 (codes are 1..4)",
  function() return ml.OrdinalEncoder{handle_unknown = "use_encoded_value", unknown_value = 2}:fit(F.X) end)
T.err("ml.OrdinalEncoder.fit: handle_unknown must be 'error' or 'use_encoded_value'",
  function() return ml.OrdinalEncoder{handle_unknown = "ignore"}:fit(F.X) end)
T.err("ml.OrdinalEncoder.fit: X contains NaN", function() return ml.OrdinalEncoder():fit{{1}, {0 / 0}} end)
T.err("ml.OrdinalEncoder.inverse_transform: code 5 in column 1 is not one of 1..4",
  function() return enc:inverse_transform(np.array{{5, 1, 1}}) end)
T.err("ml.OrdinalEncoder.transform: ", function() return ml.OrdinalEncoder():transform(F.X) end)

T.done()
