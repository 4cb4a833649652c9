-- ml_report_labels.lua: classification_report with `labels` prints the
-- micro average as "accuracy" exactly when scikit-learn does (labels that
-- cover every class), and takes labels as a list or an array
-- (tests/fixtures/ml/gen_report_labels.py).
local T = require "testlib"
local R = dofile("tests/fixtures/ml/report_labels.lua")
local yt, yp = {"a", "b", "c", "a"}, {"a", "b", "b", "a"}
T.eq(ml.classification_report(yt, yp, {labels = {"c", "b", "a"}, digits = 3}), R.all)
T.eq(ml.classification_report(yt, yp, {labels = {"c", "b"}, digits = 3}), R.subset)
T.eq(ml.classification_report({1, 2, 3, 1}, {1, 2, 2, 1}, {labels = np.array{3, 2, 1}, digits = 3}), R.numbers)
T.eq(ml.classification_report({1, 2, 3, 1}, {1, 2, 2, 1}, {labels = {3, 2, 1}, digits = 3}), R.numbers)
T.done()
