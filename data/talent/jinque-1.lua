-- policy: jinque
-- name: 城市发展紧缺人才薪酬补贴
-- version: 1
-- effective_from: 2020-01-01
-- level: district
-- employer: review
-- exclusive_with: jintie
-- citation: 《金普新区集聚人才十项重点政策》城市发展紧缺人才薪酬补贴，岗位以《金普新区2020—2021年度重点产业紧缺人才需求目录》为准（演示口径：比例、上限与条件为演示值，以正式文件为准）
-- Parameters (dated): acute_pct, high_pct, general_pct (a share of the
-- annual salary by the position's shortage level), acute_cap_fen,
-- high_cap_fen, general_cap_fen (a year's cap), min_salary_fen, years,
-- within_months (of the placement on the shortage position),
-- contract_months, insured_months.

if recheck then
  local work = works_in_jinpu('works_in_jinpu', P('contract_months'))
  local si = insured_before('social_insurance', f.social_insurance, {jinpu = true}, 6, on, '在金普新区社会保险', true)
  decide(and3(work, si))
end

local LEVEL = {acute = '特别紧缺', high = '比较紧缺', general = '一般紧缺'}
-- (Each criterion by if/else: missing() reports nil, so `a and missing() or
-- check()` would go on to check() with the fact it lacks.)
local pos = f.shortage_position
local c_pos
if type(pos) == 'string' then c_pos = check('shortage_position', true, pos, nil, '从事紧缺人才目录岗位 ' .. pos)
else c_pos = missing('shortage_position', '紧缺人才目录岗位', nil) end
local lv = f.shortage_level
local c_level
if type(lv) ~= 'string' then c_level = missing('shortage_level', '岗位紧缺程度', nil)
else
  c_level = check('shortage_level', LEVEL[lv] ~= nil, lv, nil,
                  LEVEL[lv] and ('岗位紧缺程度：' .. LEVEL[lv]) or ('紧缺程度无法识别：' .. lv))
end
local c_when = since('shortage_on', f.shortage_on, P('within_months'), '紧缺岗位认定日期')
local salary = f.annual_salary_fen
local c_salary
if type(salary) ~= 'number' then c_salary = missing('annual_salary_fen', '年薪', P('min_salary_fen'))
else
  local enough = salary >= P('min_salary_fen')
  c_salary = check('annual_salary_fen', enough, salary, P('min_salary_fen'),
                   '年薪 ' .. yuan(salary) .. (enough and '，不低于 ' or '，低于 ') .. yuan(P('min_salary_fen')))
end
local c_work = works_in_jinpu('works_in_jinpu', P('contract_months'))
local c_si = insured('social_insurance', f.social_insurance, {jinpu = true}, P('insured_months'), '在金普新区社会保险', true)

local ok = and3(c_pos, c_level, c_when, c_salary, c_work, c_si)
if ok == true then
  local function amount(day)
    local a = salary * P_at(lv .. '_pct', day) // 100
    local cap = P_at(lv .. '_cap_fen', day)
    return a < cap and a or cap
  end
  output('amount_fen', amount(on))
  local out = {}
  for k, due in ipairs(yearly(P('years'))) do out[k] = {due = due, amount_fen = amount(due)} end
  output('instalments', out)
end
decide(ok)
