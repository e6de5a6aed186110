-- talent/lib.lua — the helpers of the talent policies' rules, after
-- rules/common.lua. Money is in fen (integers). A policy's parameters are
-- read as of a day: P(key) as of `on`, P_at(key, day) as of another day (an
-- instalment's due day), from facts.param_history (talent.c puts the
-- policy's dated parameters there: {key = {{from = DAY, value = V}, …}}).

local history = f.param_history

-- P_at(key, day) is the value of parameter key in force on day (the version
-- with the latest `from` not after it), or nil.
local function P_at(key, day)
  local h = history and history[key]
  if h == nil then return nil end
  local best, best_from
  for _, v in ipairs(h) do
    if v.from <= day and (best_from == nil or v.from >= best_from) then best, best_from = v.value, v.from end
  end
  return best
end
local function P(key) return P_at(key, on) end

local DEGREE = {doctor = '博士', master = '硕士', bachelor = '学士（本科）', college = '专科'}
local SCHOOL = {world_class_university = '一流大学建设高校', world_class_discipline = '一流学科建设高校',
                overseas_top200 = '境外排名前 200 的高校', other = '其他高校'}

-- degree(code, allowed) reports the degree, which must be one of allowed
-- (a set of degree codes); returns met and the degree code (or nil).
local function degree(code, allowed)
  local d = f.degree
  if type(d) ~= 'string' then return missing(code, '学历学位', nil), nil end
  local names = {}
  for _, k in ipairs({'doctor', 'master', 'bachelor', 'college'}) do
    if allowed[k] then names[#names + 1] = DEGREE[k] end
  end
  local want = table.concat(names, '、')
  if DEGREE[d] == nil then return check(code, false, d, want, '学历学位无法识别：' .. d), nil end
  local ok = allowed[d] == true
  return check(code, ok, d, want, ok and ('学历学位：' .. DEGREE[d]) or ('学历学位为' .. DEGREE[d] .. '，本政策限' .. want)), d
end

-- school(code, allowed) reports the class of the school, which must be one
-- of allowed (a set); returns met and the class (or nil).
local function school(code, allowed)
  local c = f.school_class
  local names = {}
  for _, k in ipairs({'world_class_university', 'world_class_discipline', 'overseas_top200', 'other'}) do
    if allowed[k] then names[#names + 1] = SCHOOL[k] end
  end
  local want = table.concat(names, '或')
  if type(c) ~= 'string' then return missing(code, '毕业院校类别', want), nil end
  if SCHOOL[c] == nil then return check(code, false, c, want, '毕业院校类别无法识别：' .. c), nil end
  local ok = allowed[c] == true
  return check(code, ok, c, want, ok and ('毕业院校：' .. SCHOOL[c]) or ('毕业院校为' .. SCHOOL[c] .. '，本政策限' .. want)), c
end

-- graduated_within(code, months) reports that `on` falls within months of
-- graduation: from graduated_on to the same day months later, as 民法典
-- 第二百零二条 counts (the month's last day when it has no such day).
local function graduated_within(code, months)
  local g = f.graduated_on
  if type(g) ~= 'string' or not date.valid(g) then return missing(code, '毕业时间', months) end
  local last = date.add_months(g, months)
  if g > on then
    return check(code, false, g, last, '毕业时间 ' .. g .. ' 晚于申请日 ' .. on)
  end
  local ok = on <= last
  return check(code, ok, g, last, ok and ('毕业于 ' .. g .. '，在毕业 ' .. text(months / 12, 1) .. ' 年内（至 ' .. last .. '）')
                               or ('毕业于 ' .. g .. '，已超过毕业后 ' .. text(months / 12, 1) .. ' 年（截至 ' .. last .. '）'))
end

-- month_no("YYYY-MM") is the month's number (year × 12 + month − 1), or nil.
local month_no = date.month
local function month_text(n) return string.format('%04d-%02d', n // 12, n % 12 + 1) end

-- months_of(list, places, count_back_paid) is the sorted month numbers of
-- list (records {month = "YYYY-MM", place, back_paid}) paid in one of
-- places (a set), up to the month of `on`; a back-paid month only when
-- count_back_paid. nil when list is missing or an entry is malformed (an
-- empty list is known: no months).
local function months_of(list, places, count_back_paid)
  if list == nil or type(list) ~= 'userdata' and type(list) ~= 'table' then return nil end
  local now = month_no(string.sub(on, 1, 7))
  local set, order = {}, {}
  for i = 1, #list do
    local x = list[i]
    if type(x) ~= 'userdata' and type(x) ~= 'table' then return nil end
    local n = month_no(x.month)
    if n == nil then return nil end
    if n <= now and places[x.place] and (count_back_paid or x.back_paid ~= true) and not set[n] then
      set[n] = true
      order[#order + 1] = n
    end
  end
  table.sort(order)
  return order
end

-- insured(code, list, places, need, what, count_back_paid) reports at least
-- need consecutive months in list; returns met and the month after the
-- first run of need months (the month a monthly payment starts), or nil.
local function insured(code, list, places, need, what, count_back_paid)
  local order = months_of(list, places, count_back_paid)
  if order == nil then return missing(code, what .. '缴纳记录', need), nil end
  local best, best_end, start = 0, nil, nil
  local len = 0
  for i, n in ipairs(order) do
    if i > 1 and order[i - 1] == n - 1 then len = len + 1 else len = 1 end
    if len > best then best, best_end = len, n end
    if len == need and start == nil then start = n + 1 end
  end
  local ok = best >= need
  local span = best > 0 and ('（' .. month_text(best_end - best + 1) .. ' 至 ' .. month_text(best_end) .. '）') or ''
  local note = count_back_paid and '' or '，补缴月份不计'
  return check(code, ok, best, need, ok and (what .. '连续缴纳 ' .. best .. ' 个月' .. span .. '，不少于 ' .. need .. ' 个月' .. note)
                                     or (what .. '最长连续缴纳 ' .. best .. ' 个月' .. span .. '，不足 ' .. need .. ' 个月' .. note)), start
end

-- insured_before(code, list, places, months, day, what, count_back_paid)
-- reports every one of the months months before the month of day paid in
-- one of places (the re-check before an instalment: nobody who left or
-- broke their social insurance is paid on).
local function insured_before(code, list, places, months, day, what, count_back_paid)
  local order = months_of(list, places, count_back_paid)
  local last = month_no(string.sub(day, 1, 7)) - 1
  local first = last - months + 1
  local span = month_text(first) .. ' 至 ' .. month_text(last)
  if order == nil then return missing(code, what .. '缴纳记录', months) end
  local have = {}
  for _, n in ipairs(order) do have[n] = true end
  local gaps = {}
  for n = first, last do if not have[n] then gaps[#gaps + 1] = month_text(n) end end
  local ok = #gaps == 0
  return check(code, ok, months - #gaps, months, ok and (span .. ' ' .. what .. '均已缴纳')
                                                  or (span .. ' ' .. what .. '中断：' .. table.concat(gaps, '、') .. ' 未缴纳'))
end

-- recheck is true when the rule is run before an instalment (facts.purpose
-- = "recheck", on = the instalment's due day): only the conditions that
-- must go on holding are checked, as the policy says.
local recheck = f.purpose == 'recheck'

-- works_in_jinpu(code, months) reports a business of one's own in the
-- district, or a labour contract of at least months with an employer
-- registered and taxed there.
local function works_in_jinpu(code, months)
  local own, emp, cm = f.business_in_jinpu, f.employer_in_jinpu, num(f.contract_months)
  if own == true then return check(code, true, '自主创业', months, '在金普新区自主创业') end
  local contract -- true, false, or nil when it cannot be told
  if emp == false or (cm ~= nil and cm < months) then contract = false
  elseif emp == true and cm ~= nil then contract = true end
  local ok = or3(own, contract)
  if ok == nil then return missing(code, '在金普新区就业或创业的情况', months) end
  if ok then return check(code, true, cm, months, '与在金普新区注册纳税的用人单位签订 ' .. cm .. ' 个月劳动合同，不少于 ' .. months .. ' 个月') end
  local why = emp == false and '用人单位不在金普新区注册纳税' or ('劳动合同 ' .. text(cm or 0, 0) .. ' 个月，少于 ' .. months .. ' 个月')
  return check(code, false, cm, months, '未在金普新区自主创业，且' .. why)
end

-- yuan(fen) is an amount in fen as 元 text ("2750 元", "1234.5 元").
local function yuan(fen) return text(fen / 100, 2) .. ' 元' end

-- pay(dues, total_at) makes one instalment per day of dues (n of them):
-- instalment k is total_at(due_k) // n, the last one what is left of its
-- own total, so a parameter changed mid-schedule changes only the
-- instalments due after it; outputs them as 'instalments' and returns their
-- sum.
local function pay(dues, total_at)
  local n, out, sum = #dues, {}, 0
  for k, due in ipairs(dues) do
    local t = total_at(due)
    local share = t // n
    if k == n then share = t - share * (n - 1) end
    out[k] = {due = due, amount_fen = share}
    sum = sum + share
  end
  output('instalments', out)
  return sum
end

local TIER = {top = '顶尖人才', leading = '领军人才', senior = '高端人才', young = '青年才俊'}

-- tier(code, allowed) reports the recognised talent tier (facts.talent_tier,
-- 高层次人才层次), which must be one of allowed (a set of tier codes);
-- returns met and the tier code (or nil).
local function tier(code, allowed)
  local t = f.talent_tier
  local names = {}
  for _, k in ipairs({'top', 'leading', 'senior', 'young'}) do
    if allowed[k] then names[#names + 1] = TIER[k] end
  end
  local want = table.concat(names, '、')
  if type(t) ~= 'string' then return missing(code, '高层次人才认定层次', want), nil end
  if TIER[t] == nil then return check(code, false, t, want, '高层次人才层次无法识别：' .. t), nil end
  local ok = allowed[t] == true
  return check(code, ok, t, want, ok and ('经认定为' .. TIER[t]) or ('认定层次为' .. TIER[t] .. '，本政策限' .. want)), t
end

-- since(code, day, months, what) reports that `on` falls within months of
-- day (facts' date of what), day not after `on`; periods as 民法典 第二百零二条.
local function since(code, day, months, what)
  if type(day) ~= 'string' or not date.valid(day) then return missing(code, what, months) end
  local last = date.add_months(day, months)
  if day > on then return check(code, false, day, last, what .. ' ' .. day .. ' 晚于申请日 ' .. on) end
  local ok = on <= last
  return check(code, ok, day, last, ok and (what .. ' ' .. day .. '，申请在其后 ' .. months .. ' 个月内（至 ' .. last .. '）')
                               or (what .. ' ' .. day .. '，已超过其后 ' .. months .. ' 个月（截至 ' .. last .. '）'))
end

-- at_least_n(code, v, need, what, unit) reports the number v (a fact) is at
-- least need.
local function at_least_n(code, v, need, what, unit)
  if type(v) ~= 'number' then return missing(code, what, need) end
  local ok = v >= need
  return check(code, ok, v, need, what .. ' ' .. text(v, 0) .. ' ' .. unit .. (ok and '，不少于 ' or '，少于 ') .. text(need, 0) .. ' ' .. unit)
end

-- yearly(n) is the due days of n yearly instalments from `on`.
local function yearly(n)
  local dues = {}
  for k = 0, n - 1 do dues[#dues + 1] = date.add_months(on, 12 * k) end
  return dues
end
