-- ladder/lib.lua — the helpers every rung's rule starts with (ladder.c puts
-- this text before each rule's). Facts are in 万元 for money and counts for
-- people and IP; `facts.on` is the day the check is made for. A criterion
-- is reported with check(code, met, value, threshold, message): met is true,
-- false or nil (a fact it needs is missing; never counted as met).
local f = facts
local on = f.on

-- num(x) is x when it is a number, else nil.
local function num(x) if type(x) == 'number' then return x end return nil end

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

-- text(x, d) is x with at most d decimals, trailing zeros dropped (the
-- sandbox's fixed()).
local text = fixed
local function pct(r) return text(r * 100, 2) .. '%' end
-- r4(x) is a ratio kept to four decimals, as a criterion's value.
local function r4(x) return math.floor(x * 10000 + 0.5) / 10000 end
local function wan(x) return text(x, 2) .. ' 万元' end

-- at_least(r, t) is r ≥ t for ratios and amounts, allowing for the last
-- bit of floating point (2.9999999999 is 3).
local function at_least(r, t) return r >= t - 1e-9 * math.max(1, math.abs(t)) end
local function at_most(r, t) return r <= t + 1e-9 * math.max(1, math.abs(t)) end

-- and3 and or3: Kleene's three-valued AND and OR over true, false and nil.
local function and3(...)
  local r = true
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if v == false then return false elseif v == nil then r = nil end
  end
  return r
end
local function or3(...)
  local r = false
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if v == true then return true elseif v == nil then r = nil end
  end
  return r
end

local function check(code, met, value, threshold, message)
  return condition(code, met, value, threshold, message)
end

-- missing(code, what, threshold) reports a criterion whose fact is missing.
local function missing(code, what, threshold)
  return check(code, nil, nil, threshold, '缺少数据：' .. what .. '，无法判断')
end

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

-- flag(code, v, yes, no, what) reports a yes/no fact that must be true.
local function flag(code, v, yes, no, what)
  if type(v) ~= 'boolean' then return missing(code, what, true) end
  return check(code, v, v, true, v and yes or no)
end

-- clean(code, v, what) reports a yes/no fact that must be false (an
-- incident, a record of dishonesty).
local function clean(code, v, yes, no, what)
  if type(v) ~= 'boolean' then return missing(code, what, false) end
  return check(code, not v, v, false, v and no or yes)
end

-- claimed(v) is a direct route's fact: true when the firm has it; a fact
-- not given is a route not claimed (false), never counted as met.
local function claimed(v) return v == true end

-- holds(rung) is true when titles has rung valid on `on` (not revoked),
-- false otherwise (also when titles is not given: a title not claimed).
local function holds(rung)
  local t = f.titles
  if t == nil then return false end
  for _, x in ipairs(t) do
    local till, from = x['until'], x['from']
    if x.rung == rung and x.revoked_on == nil and (till == nil or till >= on) and (from == nil or from <= on) then
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

-- ratio(a, b) is a / b, or nil when either is missing or b is not above 0.
local function ratio(a, b)
  if a == nil or b == nil or b <= 0 then return nil end
  return a / b
end

-- the last year's sales (营业收入): the fact, or the last of the series.
local sales_3y = series(f.sales_3y)
local rd_3y = series(f.rd_3y)
local sales = num(f.sales) or (sales_3y and sales_3y[#sales_3y])
local rd_last = rd_3y and rd_3y[#rd_3y]

-- decide(ok, score): the rung's verdict (eligible, not, or unknown).
local function decide(ok, score)
  if score ~= nil then output('score', score) end
  if ok == true then approve('符合条件') elseif ok == false then deny('不符合条件') else manual('缺少判断所需的数据') end
end
