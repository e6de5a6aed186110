-- policy: tuition
-- name: 高校毕业生学费补助
-- version: 1
-- effective_from: 2019-01-01
-- level: district
-- employer: review
-- citation: 《金普新区集聚人才十项重点政策》学费补助（演示口径：施行日期与就业、社保条件为演示值，以正式文件为准）
-- Parameters (dated): doctor_fen, master_fen, bachelor_fen, college_fen (one
-- payment), university_pct (一流大学), discipline_pct (一流学科): the higher
-- only, as a school has one class; within_months, contract_months,
-- insured_months.

if recheck then
  -- before the payment: still working in Jinpu
  decide(works_in_jinpu('works_in_jinpu', P('contract_months')))
end

local c_degree, deg = degree('degree', {doctor = true, master = true, bachelor = true, college = true})
local c_grad = graduated_within('graduated_within', P('within_months'))
local c_full = flag('full_time', f.full_time, '全日制学历', '非全日制学历', '是否全日制')
local c_work = works_in_jinpu('works_in_jinpu', P('contract_months'))
local need = P('insured_months')
local si = insured('social_insurance', f.social_insurance, {jinpu = true}, need, '在金普新区社会保险', true)

local ok = and3(c_degree, c_grad, c_full, c_work, si)
if ok == true then
  local function amount(day)
    local base = P_at(deg .. '_fen', day)
    local pct = f.school_class == 'world_class_university' and P_at('university_pct', day)
             or f.school_class == 'world_class_discipline' and P_at('discipline_pct', day) or 0
    return base + base * pct // 100
  end
  output('amount_fen', amount(on))
  pay({on}, amount)
end
decide(ok)
