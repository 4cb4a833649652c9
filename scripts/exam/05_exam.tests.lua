-- 05_exam.tests.lua: the teacher's tests of the exam example
-- (scripts/05_exam_example.lua), run by
--   geolab grade scripts/05_exam_example.lua --data data --out graded/05 --tests scripts/exam/05_exam.tests.lua
-- Each test gets the submission's top-level variables (sub) and what each
-- cell printed (out[k]). A test that names a cell runs right after it.
-- Hidden tests show only pass/fail and points in the student's feedback.
return {
  {name = "the data: 150 samples, 4 features", points = 1, cell = 2,
   test = function (sub) assert(sub.X.shape[1] == 150 and sub.X.shape[2] == 4, "X should be 150 x 4") end},
  {name = "a stratified 70/30 split", points = 1, cell = 3,
   test = function (sub) assert(sub.Xtr.shape[1] == 105 and sub.Xte.shape[1] == 45, "expected 105 train, 45 test") end},
  {name = "five models cross-validated", points = 2, cell = 4,
   test = function (sub, out)
     local n = select(2, out[4]:gsub("\n%a[^\n]-%s+0%.%d%d%d%d%s+0%.%d%d%d%d", ""))
     assert(n == 5, ("a line with mean and std per model expected, found %d"):format(n))
   end},
  {name = "grid search picks C and gamma by CV accuracy", points = 2, cell = 5,
   test = function (sub) assert(sub.grid.best_score_ > 0.93, "best CV accuracy " .. sub.grid.best_score_) end},
  {name = "test accuracy", points = 3, hidden = true,
   test = function (sub) assert(math.abs(ml.accuracy_score(sub.yte, sub.pred) - 43 / 45) < 1e-12) end},
  {name = "two figures saved", points = 1,
   test = function (sub) assert(#sub.figures == 2, "two figure files expected") end},
}
