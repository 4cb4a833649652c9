-- %%
-- hostile: a huge figure
local fig = plt.figure{figsize = {200, 200}}
fig:savefig(arg[1] .. "/huge.png", {dpi = 300})
