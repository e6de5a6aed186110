-- rules/common.lua — the helpers every book of versioned rules starts with
-- (rulebook.c puts this text, then the book's own NAME/lib.lua, before each
-- version's text). `facts.on` is the day the rule is run for. A criterion
-- is reported with check(code, met, value, threshold, message): met is true,
-- false or nil (a fact it needs is missing; never counted as met).
local f = facts
local on = f.on

-- num(x) is x when it is a number, else nil.
local function num(x) if type(x) == 'number' then return x end return nil end

-- text(x, d) is x with at most d decimals, trailing zeros dropped (the
-- sandbox's fixed()); pct(r) a ratio as a percentage.
local text = fixed
local function pct(r) return text(r * 100, 2) .. '%' end

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

-- flag(code, v, yes, no, what) reports a yes/no fact that must be true.
local function flag(code, v, yes, no, what)
  if type(v) ~= 'boolean' then return missing(code, what, true) end
  return check(code, v, v, true, v and yes or no)
end

-- clean(code, v, yes, no, what) reports a yes/no fact that must be false
-- (an incident, a record of dishonesty).
local function clean(code, v, yes, no, what)
  if type(v) ~= 'boolean' then return missing(code, what, false) end
  return check(code, not v, v, false, v and no or yes)
end

-- ratio(a, b) is a / b, or nil when either is missing or b is not above 0.
local function ratio(a, b)
  if a == nil or b == nil or b <= 0 then return nil end
  return a / b
end

-- decide(ok, score): the verdict (eligible, not, or unknown).
local function decide(ok, score)
  if score ~= nil then output('score', score) end
  if ok == true then approve('符合条件') elseif ok == false then deny('不符合条件') else manual('缺少判断所需的数据') end
end
