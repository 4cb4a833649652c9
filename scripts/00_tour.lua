#!/usr/bin/env geolab
-- 00_tour.lua: a short tour of geolab (arrays, linear algebra, random numbers,
-- frames, a model, help).
-- Run: build/geolab scripts/00_tour.lua

print("-- arrays: NumPy semantics, 1-based inclusive indexing")
local a = np.arange(12):reshape{3, 4}
print(a)
print("row 2:", a[2], " element (2,3):", a[{2, 3}], " column 4:", a[{{}, 4}])

print("\n-- broadcasting and math")
local x = np.linspace(0, 1, 5)
print(x * 10 + np.array{{0}, {100}})
print(np.round(np.sin(x * np.pi), 3))

print("\n-- masks")
print(a[(a % 3):eq(0)])   -- NumPy: a[a % 3 == 0]

print("\n-- linear algebra (OpenBLAS/LAPACK)")
local A = np.array{{3, 1}, {1, 2}}
print("solve:", np.linalg.solve(A, np.array{9, 8}))
print("eigvalsh:", np.linalg.eigvalsh(A))

print("\n-- random numbers: seeded, the same on every run (--seed N)")
local r = np.random.normal(0, 1, {1000})
print(("mean %.4f  std %.4f"):format(r:mean(), r:std()))

print("\n-- axis numbers are NumPy's: axis=0 runs down the rows")
print("column sums:", a:sum(0), " row sums:", a:sum(1), " shape:", a.shape)

print("\n-- frames (pandas) and a model (scikit-learn)")
local df = pd.DataFrame({x = {1, 2, 3, 4}, y = {2.1, 3.9, 6.2, 7.8}}, {columns = {"x", "y"}})
print(df)
local model = ml.LinearRegression():fit(df[{"x"}], df.y)
print(("slope %.3f  intercept %.3f"):format(model.coef_[1], model.intercept_))

print("\n-- help(np.linspace), help(\"pd.read_csv\"), help(model) print the manual")
