-- ml_lbfgsb.lua: scipy.optimize.minimize(method="L-BFGS-B") for problems
-- without bounds, as scikit-learn's lbfgs solvers call it: the control flow
-- of L-BFGS-B 3.0 (Byrd, Lu, Nocedal, Zhu; Morales & Nocedal 2011) and its
-- Moré-Thuente line search (MINPACK-2 dcsrch/dcstep, ftol 1e-3, gtol 0.9,
-- xtol 0.1), so the iterates are scipy's up to rounding.
-- Without bounds the generalized Cauchy point is x - g/theta on a fresh
-- memory and is skipped otherwise, and the subspace step is the L-BFGS
-- direction -H g with H0 = s'y/y'y; it is computed here by the two-loop
-- recursion (the same matrix as L-BFGS-B's compact form, other roundings).
local np = require "geolab.array"

local M = {}

-- MINPACK-2 dcstep: safeguarded cubic/quadratic step; s is the state table.
local function dcstep(s, stp, fp, dp, stpmin, stpmax)
  local stx, fx, dx, sty, fy, dy = s.stx, s.fx, s.gx, s.sty, s.fy, s.gy
  local sgnd = dp * (dx / math.abs(dx))
  local stpf
  if fp > fx then
    local theta = 3 * (fx - fp) / (stp - stx) + dx + dp
    local sc = math.max(math.abs(theta), math.abs(dx), math.abs(dp))
    local gamma = sc * math.sqrt((theta / sc) ^ 2 - (dx / sc) * (dp / sc))
    if stp < stx then gamma = -gamma end
    local p = (gamma - dx) + theta
    local q = ((gamma - dx) + gamma) + dp
    local r = p / q
    local stpc = stx + r * (stp - stx)
    local stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2) * (stp - stx)
    if math.abs(stpc - stx) < math.abs(stpq - stx) then stpf = stpc
    else stpf = stpc + (stpq - stpc) / 2 end
    s.brackt = true
  elseif sgnd < 0 then
    local theta = 3 * (fx - fp) / (stp - stx) + dx + dp
    local sc = math.max(math.abs(theta), math.abs(dx), math.abs(dp))
    local gamma = sc * math.sqrt((theta / sc) ^ 2 - (dx / sc) * (dp / sc))
    if stp > stx then gamma = -gamma end
    local p = (gamma - dp) + theta
    local q = ((gamma - dp) + gamma) + dx
    local r = p / q
    local stpc = stp + r * (stx - stp)
    local stpq = stp + (dp / (dp - dx)) * (stx - stp)
    if math.abs(stpc - stp) > math.abs(stpq - stp) then stpf = stpc else stpf = stpq end
    s.brackt = true
  elseif math.abs(dp) < math.abs(dx) then
    local theta = 3 * (fx - fp) / (stp - stx) + dx + dp
    local sc = math.max(math.abs(theta), math.abs(dx), math.abs(dp))
    local gamma = sc * math.sqrt(math.max(0, (theta / sc) ^ 2 - (dx / sc) * (dp / sc)))
    if stp > stx then gamma = -gamma end
    local p = (gamma - dp) + theta
    local q = (gamma + (dx - dp)) + gamma
    local r = p / q
    local stpc
    if r < 0 and gamma ~= 0 then stpc = stp + r * (stx - stp)
    elseif stp > stx then stpc = stpmax
    else stpc = stpmin end
    local stpq = stp + (dp / (dp - dx)) * (stx - stp)
    if s.brackt then
      if math.abs(stpc - stp) < math.abs(stpq - stp) then stpf = stpc else stpf = stpq end
      if stp > stx then stpf = math.min(stp + 0.66 * (sty - stp), stpf)
      else stpf = math.max(stp + 0.66 * (sty - stp), stpf) end
    else
      if math.abs(stpc - stp) > math.abs(stpq - stp) then stpf = stpc else stpf = stpq end
      stpf = math.min(stpmax, stpf)
      stpf = math.max(stpmin, stpf)
    end
  else
    if s.brackt then
      local theta = 3 * (fp - fy) / (sty - stp) + dy + dp
      local sc = math.max(math.abs(theta), math.abs(dy), math.abs(dp))
      local gamma = sc * math.sqrt((theta / sc) ^ 2 - (dy / sc) * (dp / sc))
      if stp > sty then gamma = -gamma end
      local p = (gamma - dp) + theta
      local q = ((gamma - dp) + gamma) + dy
      local r = p / q
      stpf = stp + r * (sty - stp)
    elseif stp > stx then stpf = stpmax
    else stpf = stpmin end
  end
  if fp > fx then
    s.sty, s.fy, s.gy = stp, fp, dp
  else
    if sgnd < 0 then s.sty, s.fy, s.gy = stx, fx, dx end
    s.stx, s.fx, s.gx = stp, fp, dp
  end
  return stpf
end

-- MINPACK-2 dcsrch, one call per function value: returns the next step and
-- "FG" (evaluate there), "CONV" or "WARN" (stop, keep stp).
local FTOL, GTOL, XTOL = 1e-3, 0.9, 0.1
local function dcsrch(s, f, g, stp, stpmin, stpmax)
  if s.task == "START" then
    s.brackt, s.stage = false, 1
    s.finit, s.ginit = f, g
    s.gtest = FTOL * g
    s.width = stpmax - stpmin
    s.width1 = s.width / 0.5
    s.stx, s.fx, s.gx = 0, f, g
    s.sty, s.fy, s.gy = 0, f, g
    s.stmin, s.stmax = 0, stp + 4.0 * stp
    s.task = "FG"
    return stp, "FG"
  end
  local ftest = s.finit + stp * s.gtest
  if s.stage == 1 and f <= ftest and g >= 0 then s.stage = 2 end
  local task
  if s.brackt and (stp <= s.stmin or stp >= s.stmax) then task = "WARN" end
  if s.brackt and s.stmax - s.stmin <= XTOL * s.stmax then task = "WARN" end
  if stp == stpmax and f <= ftest and g <= s.gtest then task = "WARN" end
  if stp == stpmin and (f > ftest or g >= s.gtest) then task = "WARN" end
  if f <= ftest and math.abs(g) <= GTOL * (-s.ginit) then task = "CONV" end
  if task then return stp, task end
  if s.stage == 1 and f <= s.fx and f > ftest then
    local gt = s.gtest
    local fm, gm = f - stp * gt, g - gt
    s.fx, s.fy = s.fx - s.stx * gt, s.fy - s.sty * gt
    s.gx, s.gy = s.gx - gt, s.gy - gt
    stp = dcstep(s, stp, fm, gm, s.stmin, s.stmax)
    s.fx, s.fy = s.fx + s.stx * gt, s.fy + s.sty * gt
    s.gx, s.gy = s.gx + gt, s.gy + gt
  else
    stp = dcstep(s, stp, f, g, s.stmin, s.stmax)
  end
  if s.brackt then
    if math.abs(s.sty - s.stx) >= 0.66 * s.width1 then stp = s.stx + 0.5 * (s.sty - s.stx) end
    s.width1 = s.width
    s.width = math.abs(s.sty - s.stx)
  end
  if s.brackt then
    s.stmin, s.stmax = math.min(s.stx, s.sty), math.max(s.stx, s.sty)
  else
    s.stmin = stp + 1.1 * (stp - s.stx)
    s.stmax = stp + 4.0 * (stp - s.stx)
  end
  stp = math.max(stp, stpmin)
  stp = math.min(stp, stpmax)
  if (s.brackt and (stp <= s.stmin or stp >= s.stmax)) or (s.brackt and s.stmax - s.stmin <= XTOL * s.stmax) then
    stp = s.stx
  end
  return stp, "FG"
end

local EPSMCH = 2.220446049250313e-16

-- minimize(fg, x0, {maxiter=, maxfun=, gtol=, ftol=2.22e-9, m=10, maxls=20})
-- fg(x) -> f, g (float64 arrays). Returns x, f, nit, nfev, message.
function M.minimize(fg, x, opts)
  local m, maxls = opts.m or 10, opts.maxls or 20
  local maxiter, maxfun = opts.maxiter or 15000, opts.maxfun or 15000
  local pgtol = opts.gtol or 1e-5
  local factr = (opts.ftol or 2.2204460492503131e-09) / EPSMCH
  local f, g = fg(x)
  local nfev, nit = 1, 0
  local S, Y, RHO = {}, {}, {}
  local theta = 1.0
  local iter = 0
  local function sbgnrm(v) return np.abs(v):max() end
  if sbgnrm(g) <= pgtol then return x, f, 0, nfev, "CONVERGENCE: NORM_OF_PROJECTED_GRADIENT_<=_PGTOL" end
  while true do
    -- search direction: Cauchy point on a fresh memory, else the L-BFGS step
    local d
    if #S == 0 then
      local z = x + (-g) * (1.0 / theta)
      d = z - x
    else
      local q, al = -g, {}
      for k = #S, 1, -1 do al[k] = RHO[k] * S[k]:dot(q); q = q - Y[k] * al[k] end
      q = q * (1.0 / theta)
      for k = 1, #S do local b = RHO[k] * Y[k]:dot(q); q = q + S[k] * (al[k] - b) end
      local z = x + q
      d = z - x
    end
    -- line search (lnsrlb)
    local dtd = d:dot(d)
    local dnorm = math.sqrt(dtd)
    local stp = (iter == 0) and math.min(1.0 / dnorm, 1e10) or 1.0
    local t, r, fold = x, g, f
    local ifun, iback, info = 0, 0, 0
    local st = {task = "START"}
    local gd, gdold = g:dot(d), nil
    local task
    while true do
      if ifun == 0 then
        gdold = gd
        if gd >= 0 then info = -4; break end
      end
      stp, task = dcsrch(st, f, gd, stp, 0, 1e10)
      if task ~= "FG" then break end
      ifun, iback = ifun + 1, ifun
      if iback >= maxls then break end
      x = (stp == 1.0) and (t + d) or (d * stp + t)
      f, g = fg(x)
      nfev = nfev + 1
      gd = g:dot(d)
    end
    if info ~= 0 or iback >= maxls then
      x, g, f = t, r, fold
      if #S == 0 then
        return x, f, nit, nfev, "ABNORMAL_TERMINATION_IN_LNSRCH"
      end
      S, Y, RHO, theta = {}, {}, {}, 1.0   -- refresh the memory and restart
    else
      iter = iter + 1
      nit = nit + 1
      if nit >= maxiter then return x, f, nit, nfev, "STOP: TOTAL NO. of ITERATIONS REACHED LIMIT" end
      if nfev > maxfun then return x, f, nit, nfev, "STOP: TOTAL NO. of f AND g EVALUATIONS EXCEEDS LIMIT" end
      if sbgnrm(g) <= pgtol then return x, f, nit, nfev, "CONVERGENCE: NORM_OF_PROJECTED_GRADIENT_<=_PGTOL" end
      if fold - f <= EPSMCH * factr * math.max(math.abs(fold), math.abs(f), 1) then
        return x, f, nit, nfev, "CONVERGENCE: REL_REDUCTION_OF_F_<=_FACTR*EPSMCH"
      end
      local yv = g - r
      local rr = yv:dot(yv)
      local dr, ddum
      if stp == 1.0 then dr, ddum = gd - gdold, -gdold
      else dr, ddum = (gd - gdold) * stp, -gdold * stp; d = d * stp end
      if dr > EPSMCH * ddum then
        S[#S + 1], Y[#Y + 1], RHO[#RHO + 1] = d, yv, 1.0 / dr
        if #S > m then table.remove(S, 1); table.remove(Y, 1); table.remove(RHO, 1) end
        theta = rr / dr
      end
    end
  end
end

return M
