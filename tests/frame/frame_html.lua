-- frame_html.lua: df:to_html() against pandas 1.5's DataFrame.to_html (the
-- strings below were printed by pandas; geolab's default index counts from
-- 1, so pandas' frames were given index=range(1, n + 1)), and the notebook
-- form the Jupyter kernel shows (rows cut as print cuts them).
local T = require "testlib"
local P = require "geolab.frame_print"

-- pd.DataFrame({'a': range(7)}, index=range(1, 8)).to_html(max_rows=4)
T.eq(pd.DataFrame{a = np.arange(7)}:to_html{max_rows = 4},
  '<table border="1" class="dataframe">\n  <thead>\n    <tr style="text-align: right;">\n      <th></th>\n      <th>a</th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n      <th>1</th>\n      <td>0</td>\n    </tr>\n    <tr>\n      <th>2</th>\n      <td>1</td>\n    </tr>\n    <tr>\n      <th>...</th>\n      <td>...</td>\n    </tr>\n    <tr>\n      <th>6</th>\n      <td>5</td>\n    </tr>\n    <tr>\n      <th>7</th>\n      <td>6</td>\n    </tr>\n  </tbody>\n</table>')

-- pd.DataFrame({'x<y': [1.5, nan], 's': ['a&b', 'c']}, index=pd.Index([1, 2], name='k')).to_html()
local df = pd.DataFrame{["x<y"] = {1.5, 0 / 0}, s = {"a&b", "c"}}
df = pd.DataFrame({["x<y"] = df["x<y"], s = df.s}, {columns = {"x<y", "s"}})
df.index.name = "k"
T.eq(df:to_html(),
  '<table border="1" class="dataframe">\n  <thead>\n    <tr style="text-align: right;">\n      <th></th>\n      <th>x&lt;y</th>\n      <th>s</th>\n    </tr>\n    <tr>\n      <th>k</th>\n      <th></th>\n      <th></th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n      <th>1</th>\n      <td>1.5</td>\n      <td>a&amp;b</td>\n    </tr>\n    <tr>\n      <th>2</th>\n      <td>NaN</td>\n      <td>c</td>\n    </tr>\n  </tbody>\n</table>')

-- the notebook form: 100 rows show 5 + 5 and the dimensions, as pandas' _repr_html_
local big = P.html(pd.DataFrame{a = np.arange(100)}, nil, true)
local n = 0
for _ in big:gmatch("<tr>") do n = n + 1 end
T.eq(n, 11)   -- 10 rows and the "..." row
T.ok(big:find("<p>100 rows × 1 columns</p>", 1, true), big)
T.ok(not pd.DataFrame{a = np.arange(100)}:to_html():find("...", 1, true))

T.err("DataFrame.to_html: max_rows must be a positive integer", function () df:to_html{max_rows = 0} end)
T.err("DataFrame.to_html: unknown option 'maxrows'", function () df:to_html{maxrows = 3} end)
print("frame_html: ok")
