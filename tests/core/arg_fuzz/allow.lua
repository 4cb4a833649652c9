-- arg_fuzz/allow.lua: public functions arg_fuzz.lua does not call, each with
-- its reason. Keep this list short: a function belongs here only when calling
-- it with junk is legitimately harmful or meaningless, not when it fails.
return {
  ["plt.show"] = "writes the open figures to $TMPDIR, outside build/testtmp",
  ["plt.Axes.new"] = "internal: axes are made by plt.subplots / fig:add_subplot",
  ["plt.Axes.draw"] = "internal: called by savefig with a canvas",
  ["plt.Figure.render"] = "internal: called by savefig",
  ["np.random.seed"] = "reseeds the session generator that later tests rely on (takes any integer)",
}
