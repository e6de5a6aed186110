-- policy: gongjiang
-- name: 金普工匠评选奖励
-- version: 1
-- effective_from: 2019-01-01
-- level: district
-- employer: review
-- decided_by: committee
-- citation: 《金普新区集聚人才十项重点政策》金普工匠评选（演示口径：技能等级、年限、名额与奖励金额为演示值，以正式文件为准）
-- The yearly selection of 金普工匠 (Jinpu craftsmen): a skilled worker of a
-- Jinpu employer, nominated by it (the employer confirms the application),
-- selected by the talent work committee (the committee's decision on the
-- case: committee_amount_fen, the award, and committee_ref, its minutes),
-- at most quota_per_year a year (the selection's places: xinqu counts the
-- year's awards before each one). The award is paid once.
-- Parameters (dated): award_fen (the award), skill_levels (the least
-- vocational skill level: 1 高级工, 2 技师, 3 高级技师), frontline_years
-- (years in frontline production in Jinpu), quota_per_year.

if recheck then
  -- before the payment: still with a Jinpu employer
  decide(flag('employer_in_jinpu', f.employer_in_jinpu, '用人单位在金普新区注册纳税', '用人单位不在金普新区注册纳税', '用人单位所在地'))
end

local LEVEL = {senior_worker = 1, technician = 2, senior_technician = 3}
local LEVEL_NAME = {'高级工', '技师', '高级技师'}
local need = P('skill_levels')
local c_skill
if type(f.skill_level) ~= 'string' then
  c_skill = missing('skill_level', '职业技能等级', LEVEL_NAME[need] .. '及以上')
elseif LEVEL[f.skill_level] == nil then
  c_skill = check('skill_level', false, f.skill_level, LEVEL_NAME[need] .. '及以上', '职业技能等级无法识别：' .. f.skill_level)
else
  local lv = LEVEL[f.skill_level]
  c_skill = check('skill_level', lv >= need, f.skill_level, LEVEL_NAME[need] .. '及以上',
    '职业技能等级为' .. LEVEL_NAME[lv] .. (lv >= need and '，达到' or '，低于') .. LEVEL_NAME[need])
end
local c_years = at_least_n('frontline_years', f.frontline_years, P('frontline_years'), '在金普新区生产一线工作', '年')
local c_emp = flag('employer_in_jinpu', f.employer_in_jinpu, '用人单位在金普新区注册纳税', '用人单位不在金普新区注册纳税', '用人单位所在地')
local award = P('award_fen')
local amt, c_committee = f.committee_amount_fen, nil
if type(amt) ~= 'number' then
  c_committee = missing('committee', '人才工作领导小组评选决定（待评审）', award)
else
  local ok = amt == award
  c_committee = check('committee', ok, amt, award,
    ok and ('经评审当选金普工匠，奖励 ' .. yuan(amt) .. (type(f.committee_ref) == 'string' and ('（' .. f.committee_ref .. '）') or ''))
       or ('评审决定的金额 ' .. yuan(amt) .. ' 与金普工匠奖励 ' .. yuan(award) .. ' 不符'))
end

local ok = and3(c_skill, c_years, c_emp, c_committee)
output('quota_per_year', P('quota_per_year'))
if ok == true then
  output('amount_fen', amt)
  output('instalments', {{due = on, amount_fen = amt}})
end
decide(ok)
