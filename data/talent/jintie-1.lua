-- policy: jintie
-- name: 本地在职高层次人才津贴
-- version: 1
-- effective_from: 2019-01-01
-- level: district
-- employer: review
-- exclusive_with: jinque
-- citation: 《金普新区集聚人才十项重点政策》本地在职高层次人才津贴（演示口径：金额、年限与条件为演示值，以正式文件为准）
-- Parameters (dated): top_fen, leading_fen, senior_fen, young_fen (a year's
-- allowance by tier, each instalment read as of its own due day), years
-- (yearly instalments from the decision), contract_months, insured_months
-- (consecutive months in Jinpu before the decision: in service locally).

if recheck then
  local work = works_in_jinpu('works_in_jinpu', P('contract_months'))
  local si = insured_before('social_insurance', f.social_insurance, {jinpu = true}, 6, on, '在金普新区社会保险', true)
  decide(and3(work, si))
end

local c_tier, t = tier('talent_tier', {top = true, leading = true, senior = true, young = true})
local c_work = works_in_jinpu('works_in_jinpu', P('contract_months'))
local c_si = insured('social_insurance', f.social_insurance, {jinpu = true}, P('insured_months'), '在金普新区社会保险', true)

local ok = and3(c_tier, c_work, c_si)
if ok == true then
  local key = t .. '_fen'
  output('amount_fen', P(key))
  local out = {}
  for k, due in ipairs(yearly(P('years'))) do out[k] = {due = due, amount_fen = P_at(key, due)} end
  output('instalments', out)
end
decide(ok)
