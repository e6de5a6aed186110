-- policy: housing
-- name: 高校毕业生住房补贴
-- version: 1
-- effective_from: 2023-01-01
-- level: city
-- employer: review
-- kind: housing
-- citation: 大连市高校毕业生住房补贴政策（2023 年 1 月 1 日起施行；演示口径：金额与条件按公开口径编码，以正式文件为准）
-- Parameters (dated): monthly_doctor_fen, monthly_master_fen,
-- monthly_bachelor_fen, double_first_class_pct (added for a 双一流
-- graduate), max_months, within_months, insured_months, paid_from (no
-- month before it is paid: the day the measure took effect). Paid monthly
-- from the month after the sixth consecutive month of social insurance in
-- Dalian (back-payments not counted), for at most max_months months; an
-- instalment is due on the first day of its month.

if recheck then
  -- before each month: still a Dalian 户籍, insured in Dalian the month before
  local hukou = flag('hukou_dalian', f.hukou_dalian, '大连市户籍', '已非大连市户籍', '是否大连市户籍')
  local si = insured_before('social_insurance', f.social_insurance, {dalian = true, jinpu = true}, 1, on, '在大连市社会保险', false)
  decide(and3(hukou, si))
end

local c_degree, deg = degree('degree', {doctor = true, master = true, bachelor = true})
local c_grad = graduated_within('graduated_within', P('within_months'))
local c_hukou = flag('hukou_dalian', f.hukou_dalian, '大连市户籍', '非大连市户籍', '是否大连市户籍')
-- 新就业：毕业后首次在连就业（劳动合同始于毕业之后）
local c_new
local cs, g = f.contract_start, f.graduated_on
if type(cs) ~= 'string' or not date.valid(cs) or type(g) ~= 'string' or not date.valid(g) then
  c_new = missing('newly_employed', '劳动合同起始日期和毕业时间', nil)
else
  local ok = cs >= g
  c_new = check('newly_employed', ok, cs, g, ok and ('毕业后新就业（劳动合同始于 ' .. cs .. '）')
                                        or ('劳动合同始于 ' .. cs .. '，早于毕业时间 ' .. g .. '，不属于新就业'))
end
local need = P('insured_months')
local c_si, start = insured('social_insurance', f.social_insurance, {dalian = true, jinpu = true}, need,
                            '在大连市社会保险', false)

local ok = and3(c_degree, c_grad, c_hukou, c_new, c_si)
if ok == true then
  local bonus = (f.school_class == 'world_class_university' or f.school_class == 'world_class_discipline')
  local function monthly(day)
    local base = P_at('monthly_' .. deg .. '_fen', day)
    if bonus then base = base + base * P_at('double_first_class_pct', day) // 100 end
    return base
  end
  output('amount_fen', monthly(on))
  local first = month_no(string.sub(P('paid_from'), 1, 7))
  if start < first then start = first end
  local dues = {}
  for k = 0, P('max_months') - 1 do
    local m = start + k
    dues[#dues + 1] = string.format('%04d-%02d-01', m // 12, m % 12 + 1)
  end
  -- each month is paid in full: the monthly amount in force on its day
  local out = {}
  for k, due in ipairs(dues) do out[k] = {due = due, amount_fen = monthly(due)} end
  output('instalments', out)
end
decide(ok)
