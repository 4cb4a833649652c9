-- ml_practical.lua: scripts/01_calibration.lua (practical 1, data and
-- calibration parts) and scripts/05_exam_example.lua print exactly their
-- committed .expected output and write the figures that output lists.
-- Their numbers are checked against pandas and scikit-learn in
-- tests/frame/frame_time.lua and tests/ml/ml_sklearn.lua.
local T = require "testlib"
T.script("01_calibration")
T.script("05_exam_example")
T.done()
