-- ladder/lib.lua — the helpers of the rungs' rules, after rules/common.lua
-- (f, on, num, text, pct, at_least, at_most, and3, or3, check, missing,
-- flag, clean, ratio, decide). Facts are in 万元 for money and counts for
-- people and IP.

-- series(a) is the numbers of an array fact (oldest first), or nil when it
-- is missing, empty or holds anything but numbers.
local function series(a)
  if a == nil or type(a) == 'number' or type(a) == 'string' or type(a) == 'boolean' then return nil end
  local n, out = #a, {}
  for i = 1, n do -- by index: a null inside (read as nil) makes the series unknown, never shorter
    local v = a[i]
    if type(v) ~= 'number' then return nil end
    out[i] = v
  end
  if n == 0 then return nil end
  return out
end

local function total(a)
  if a == nil then return nil end
  local s = 0
  for _, v in ipairs(a) do s = s + v end
  return s
end

-- tail(a, n) is the last n numbers of series a (nil when it has fewer).
local function tail(a, n)
  if a == nil or #a < n then return nil end
  local out = {}
  for i = #a - n + 1, #a do out[#out + 1] = a[i] end
  return out
end

-- r4(x) is a ratio kept to four decimals, as a criterion's value.
local function r4(x) return math.floor(x * 10000 + 0.5) / 10000 end
local function wan(x) return text(x, 2) .. ' 万元' end

-- atleast(code, v, t, what, unit) reports figure v of what held to a
-- floor t ("职工总数 120 人，不低于 …"); atmost to a ceiling.
local function atleast(code, v, t, what, unit)
  if v == nil then return missing(code, what, t) end
  local ok = at_least(v, t)
  return check(code, ok, v, t, what .. ' ' .. text(v, 2) .. unit .. (ok and '，不低于 ' or '，低于 ') .. text(t, 2) .. unit)
end
local function atmost(code, v, t, what, unit)
  if v == nil then return missing(code, what, t) end
  local ok = at_most(v, t)
  return check(code, ok, v, t, what .. ' ' .. text(v, 2) .. unit .. (ok and '，不超过 ' or '，超过 ') .. text(t, 2) .. unit)
end

-- claimed(v) is a direct route's fact: true when the firm has it; a fact
-- not given is a route not claimed (false), never counted as met.
local function claimed(v) return v == true end

-- titles() is the entries of the fact titles that are titles ({rung,
-- from, until, revoked_on}); none when it is not given or not a list.
local function titles()
  local t, out = f.titles, {}
  if type(t) ~= 'userdata' and type(t) ~= 'table' then return out end
  for _, x in ipairs(t) do
    if type(x) == 'userdata' or type(x) == 'table' then out[#out + 1] = x end
  end
  return out
end

-- holds(rung) is true when a title of rung is valid on `on` (not revoked),
-- false otherwise (also for a title whose days are not text: a title not
-- claimed).
local function holds(rung)
  for _, x in ipairs(titles()) do
    local till, from = x['until'], x['from']
    if x.rung == rung and x.revoked_on == nil and (till == nil or type(till) == 'string' and till >= on) and
       (from == nil or type(from) == 'string' and from <= on) then
      return true
    end
  end
  return false
end

-- band(x, steps) is the points of the first step {at_least, points} x
-- reaches (steps from the highest down), or 0.
local function band(x, steps)
  for _, s in ipairs(steps) do
    if at_least(x, s[1]) then return s[2] end
  end
  return 0
end

-- the last year's sales (营业收入): the fact, or the last of the series.
local sales_3y = series(f.sales_3y)
local rd_3y = series(f.rd_3y)
local sales = num(f.sales) or (sales_3y and sales_3y[#sales_3y])
local rd_last = rd_3y and rd_3y[#rd_3y]
