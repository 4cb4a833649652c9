#!/usr/bin/env geolab
-- 00_tour.lua: a short tour of geolab (arrays, linear algebra, random numbers).
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
print(a[a % 3:eq(0)])

if np.linalg and np.linalg.solve then
  print("\n-- linear algebra (OpenBLAS/LAPACK)")
  local A = np.array{{3, 1}, {1, 2}}
  print("solve:", np.linalg.solve(A, np.array{9, 8}))
  print("eigvalsh:", np.linalg.eigvalsh(A))
end

if np.random and np.random.normal then
  print("\n-- random numbers: seeded, the same on every run (--seed N)")
  local r = np.random.normal(0, 1, {1000})
  if r.mean then print(("mean %.4f  std %.4f"):format(r:mean(), r:std())) end
end
