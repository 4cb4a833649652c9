-- signal.lua: the signal module (global `signal`), modelled on scipy.signal
-- (filters, windows, spectra, peaks, resampling) and ObsPy's signal tools
-- (cosine taper, STA/LTA triggers). Each part stdlib/signal/signal_<part>.lua
-- returns a table of functions merged here; the C half is geolab.signal_core.
local M = {}

local parts = {"signal_filter", "signal_windows", "signal_spectral", "signal_peaks",
  "signal_misc", "signal_trigger"}

for _, name in ipairs(parts) do
  if package.preload["geolab." .. name] then
    for k, v in pairs(require("geolab." .. name)) do M[k] = v end
  end
end

return M
