-- policy: mingxiao
-- name: “名校优才”生活补贴
-- version: 1
-- effective_from: 2019-01-01
-- level: district
-- employer: review
-- exclusive_with: level:district
-- citation: 《金普新区集聚人才十项重点政策》“名校优才”生活补贴（演示口径：施行日期、金额与条件为演示值，以正式文件为准）
-- Parameters (talent/params.json, dated): amount_doctor_fen, amount_master_fen,
-- amount_bachelor_fen (the whole subsidy), instalments (equal yearly
-- payments), within_months (of graduating), contract_months, insured_months.

if recheck then
  -- before each yearly payment: the employer (or the business) and the
  -- person are still in Jinpu, insured or taxed there the six months before
  local work = works_in_jinpu('works_in_jinpu', P('contract_months'))
  local paid = insured_before('social_insurance', f.social_insurance, {jinpu = true}, P('insured_months'), on, '在金普新区社会保险', true)
  if paid ~= true then
    paid = or3(paid, insured_before('income_tax', f.income_tax, {jinpu = true}, P('insured_months'), on, '在金普新区个人所得税', true))
  end
  decide(and3(work, paid))
end

local c_degree, deg = degree('degree', {doctor = true, master = true, bachelor = true})
local c_grad = graduated_within('graduated_within', P('within_months'))
local c_full = flag('full_time', f.full_time, '全日制学历', '非全日制学历', '是否全日制')
local c_school = school('school_class', {world_class_university = true, world_class_discipline = true, overseas_top200 = true})
local c_work = works_in_jinpu('works_in_jinpu', P('contract_months'))
local need = P('insured_months')
local jinpu = {jinpu = true}
-- social insurance, or else income tax (only looked at when insurance falls short)
local c_paid = (insured('social_insurance', f.social_insurance, jinpu, need, '在金普新区社会保险', true))
if c_paid ~= true then
  c_paid = or3(c_paid, (insured('income_tax', f.income_tax, jinpu, need, '在金普新区个人所得税', true)))
end

local ok = and3(c_degree, c_grad, c_full, c_school, c_work, c_paid)
if ok == true then
  local key = 'amount_' .. deg .. '_fen'
  output('amount_fen', P(key))
  local dues = {}
  for k = 0, P('instalments') - 1 do dues[#dues + 1] = date.add_months(on, 12 * k) end
  pay(dues, function(due) return P_at(key, due) end)
end
decide(ok)
