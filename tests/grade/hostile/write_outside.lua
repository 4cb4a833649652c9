-- %%
-- hostile: writes outside the out folder (arg[1] is out/files)
print(io.open("/tmp/geolab_hostile_escape.txt", "w"))
print(pcall(np.save, "/tmp/geolab_hostile_escape.npy", np.zeros{3}))
local fig = plt.figure()
print(pcall(fig.savefig, fig, "/tmp/geolab_hostile_escape.png"))
print(io.open(arg[1] .. "/../../escape.txt", "w"))
print(os.remove("/tmp/geolab_hostile_keep.txt"))
print(pcall(fs.mkdir, "/tmp/geolab_hostile_dir"))
-- %%
np.save(arg[1] .. "/inside.npy", np.arange(1, 4))
print("inside written")
