-- report_practical4.lua: report_practicals.lua's checks on practical 4
-- alone (its networks train for minutes: a test of its own, run beside the
-- others), with its default, small run.
local FMNIST = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
if not fs.exists(FMNIST) then
  print("SKIPPED: Fashion-MNIST is not installed (" .. FMNIST .. "; ./setup.sh installs it)")
  os.exit(77)
end
REPORT_PRACTICALS = {"04_deep_learning"}
dofile("tests/report/report_practicals.lua")
