-- policy: rouxing
-- name: 柔性引进高层次人才补助
-- version: 1
-- effective_from: 2019-01-01
-- level: district
-- employer: review
-- decided_by: committee
-- exclusive_with: anjiafei
-- citation: 《金普新区集聚人才十项重点政策》柔性引进高层次人才补助，一事一议（演示口径：上限、期限与条件为演示值，以正式文件为准）
-- The amount is decided case by case (一事一议) by the talent work
-- committee: the committee's yearly amount and its minutes are facts of the
-- decision (committee_amount_fen, committee_ref), never of the person's
-- record; without them the verdict is unknown, "awaiting the committee".
-- Parameters (dated): cap_top_fen, cap_leading_fen, cap_senior_fen (the
-- yearly cap by tier), agreement_months (the least flexible agreement),
-- days_in_jinpu (the least working days a year in Jinpu), max_years.

if recheck then
  -- before each yearly payment: the agreement still runs with a Jinpu employer
  local emp = flag('employer_in_jinpu', f.employer_in_jinpu, '用人单位在金普新区注册纳税', '用人单位不在金普新区注册纳税', '用人单位所在地')
  decide(and3(emp, at_least_n('days_in_jinpu', f.days_in_jinpu, P('days_in_jinpu'), '每年在金普新区工作', '天')))
end

local c_tier, t = tier('talent_tier', {top = true, leading = true, senior = true})
local flexible = nil
if f.introduced_full_time ~= nil then flexible = not f.introduced_full_time end
local c_flex = flag('introduced_full_time', flexible, '柔性引进（非全职）', '全职引进（适用安家费补贴）', '引进方式')
local c_emp = flag('employer_in_jinpu', f.employer_in_jinpu, '用人单位在金普新区注册纳税', '用人单位不在金普新区注册纳税', '用人单位所在地')
local c_months = at_least_n('flexible_months', f.flexible_months, P('agreement_months'), '柔性引进协议期限', '个月')
local c_days = at_least_n('days_in_jinpu', f.days_in_jinpu, P('days_in_jinpu'), '每年在金普新区工作', '天')
local cap = t and P('cap_' .. t .. '_fen')
local amt, c_committee = f.committee_amount_fen, nil
if type(amt) ~= 'number' then
  c_committee = missing('committee', '人才工作领导小组一事一议决定（待上会研究）', cap)
else
  local ok = amt > 0 and (cap == nil or amt <= cap)
  c_committee = check('committee', ok, amt, cap,
    ok and ('一事一议决定每年补助 ' .. yuan(amt) .. (type(f.committee_ref) == 'string' and ('（' .. f.committee_ref .. '）') or '') ..
            (cap and ('，不超过上限 ' .. yuan(cap)) or ''))
       or ('一事一议决定的金额 ' .. yuan(amt) .. ' 超过本层次每年上限 ' .. yuan(cap or 0)))
end

local ok = and3(c_tier, c_flex, c_emp, c_months, c_days, c_committee)
if ok == true then
  local years = math.min(P('max_years'), (f.flexible_months + 11) // 12)
  output('amount_fen', amt)
  local dues = yearly(years)
  local out = {}
  for k, due in ipairs(dues) do out[k] = {due = due, amount_fen = amt} end
  output('instalments', out)
end
decide(ok)
