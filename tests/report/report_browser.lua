-- report_browser.lua: a report opened in a real browser (issue 16). Debian's
-- chromium, headless, renders the HTML of a small script and takes a
-- screenshot: the figure must be there (its red pixels), and chromium's
-- network log must show no request of the page's but the file itself and
-- data: URIs, even though the Markdown names a remote image and a link. Skipped (exit 77)
-- where chromium is not installed; CI installs it (.ci/run).
local T = require "testlib"
local browser
for _, b in ipairs {"chromium", "chromium-browser", "google-chrome"} do
  if os.execute("command -v " .. b .. " > /dev/null 2>&1") then browser = b; break end
end
if not browser then
  print("SKIPPED: no chromium to render the report (apt-get install chromium)")
  os.exit(77)
end
local exe = arg[-1] or "geolab"
local dir = T.tmp("report_browser")
os.execute(("rm -rf '%s' && mkdir -p '%s'"):format(dir, dir))
dir = fs.abspath(dir)
T.write(dir .. "/page.lua", [[
-- %% [markdown]
-- # A page for the browser
--
-- A remote picture ![remote](http://127.0.0.1:9/never.png) and a [link](http://127.0.0.1:9/).

-- %%
local fig = plt.figure{figsize = {4, 3}, dpi = 50, facecolor = "red"}
print("one red figure")
]])
local p = io.popen(("'%s' report '%s/page.lua' -o '%s/page.html' 2>&1"):format(exe, dir, dir))
local out = p:read("a")
p:close()
T.ok(out:find("1 cells run, 0 with errors", 1, true), out)

local shot, netlog = dir .. "/shot.png", dir .. "/net.json"
local cmd = ("'%s' --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run " ..
             "--disable-background-networking --disable-component-update --disable-sync " ..
             "--user-data-dir='%s/profile' --window-size=600,700 --log-net-log='%s' " ..
             "--screenshot='%s' 'file://%s/page.html' > '%s/chromium.log' 2>&1"):format(
             browser, dir, netlog, shot, dir, dir)
T.ok(os.execute(cmd), "chromium ran: " .. (T.read(dir .. "/chromium.log") or ""))
local img = T.read(shot) and plt.imread(shot)
T.ok(img ~= nil, "a screenshot was taken")
if img then
  local r, g, b = img[{{}, {}, 1}], img[{{}, {}, 2}], img[{{}, {}, 3}]
  local red = (r:gt(0.9) & g:lt(0.1) & b:lt(0.1)):sum()
  -- the figure is 200 x 150 pixels of pure red (at a device scale of 1)
  T.ok(red >= 200 * 150 * 0.95, ("the figure was displayed: %d red pixels"):format(red))
end
local log = T.read(netlog) or ""
T.ok(#log > 0, "chromium wrote its network log")
-- chromium itself calls its own services (updates, time, accounts) even
-- headless; those are not the page's. Anything else, and anything at the
-- host the Markdown names, would be.
local OWN = {"%.google%.com$", "%.googleapis%.com$", "%.gstatic%.com$", "%.gvt1%.com$", "%.chromium%.org$"}
local fetched, seen = {}, {}
for url in log:gmatch('"url":"([^"]*)"') do
  local host = url:match("^%a+://([^/:?]+)")
  local own = false
  for _, pat in ipairs(OWN) do own = own or (host ~= nil and ("." .. host):find(pat) ~= nil) end
  if not url:find("^file:") and not url:find("^data:") and not own and not seen[url] then
    seen[url] = true
    fetched[#fetched + 1] = url
  end
end
T.eq(fetched, {}, "the page fetched nothing from the network")
T.ok(not log:find("127.0.0.1", 1, true), "not the remote image the Markdown names")
T.ok(log:find("page.html", 1, true) ~= nil, "the log saw the page itself")
T.done()
