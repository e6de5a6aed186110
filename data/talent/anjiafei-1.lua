-- policy: anjiafei
-- name: 全职引进高层次人才安家费补贴
-- version: 1
-- effective_from: 2019-01-01
-- level: district
-- employer: review
-- exclusive_with: rouxing
-- citation: 《金普新区集聚人才十项重点政策》全职引进的高层次人才安家费补贴（演示口径：金额、分期与条件为演示值，以正式文件为准）
-- Parameters (dated): top_fen, leading_fen, senior_fen, young_fen (the whole
-- subsidy by the recognised tier), instalments (equal yearly payments from
-- the day of the decision), within_months (of the tier's recognition),
-- contract_months (a full-time contract with a Jinpu employer),
-- insured_months (before the decision and before each payment).

if recheck then
  -- before each yearly payment: still under contract in Jinpu, insured there the months before
  local work = works_in_jinpu('works_in_jinpu', P('contract_months'))
  local si = insured_before('social_insurance', f.social_insurance, {jinpu = true}, P('insured_months'), on, '在金普新区社会保险', true)
  decide(and3(work, si))
end

local c_tier, t = tier('talent_tier', {top = true, leading = true, senior = true, young = true})
local c_when = since('tier_on', f.tier_on, P('within_months'), '高层次人才认定日期')
local c_full = flag('introduced_full_time', f.introduced_full_time, '全职引进', '非全职引进（柔性引进另有补助）', '是否全职引进')
local c_work = works_in_jinpu('works_in_jinpu', P('contract_months'))
local c_si = insured('social_insurance', f.social_insurance, {jinpu = true}, P('insured_months'), '在金普新区社会保险', true)

local ok = and3(c_tier, c_when, c_full, c_work, c_si)
if ok == true then
  local key = t .. '_fen'
  output('amount_fen', P(key))
  pay(yearly(P('instalments')), function(due) return P_at(key, due) end)
end
decide(ok)
