-- policy: anju
-- name: 新就业高校毕业生安居补贴
-- version: 1
-- effective_from: 2019-01-01
-- effective_to: 2022-12-31
-- level: district
-- employer: review
-- kind: housing
-- exclusive_with: housing
-- citation: 《金普新区集聚人才十项重点政策》新就业或自主创业高校毕业生安居补贴（演示口径：金额、期限与条件为演示值，以正式文件为准；2023 年起由大连市高校毕业生住房补贴接续）
-- Parameters (dated): monthly_doctor_fen, monthly_master_fen,
-- monthly_bachelor_fen, monthly_college_fen, max_months, within_months,
-- insured_months. Paid monthly from the month after the sixth consecutive
-- month of social insurance in Jinpu, for at most max_months months and
-- never past the measure's last day; due on the first day of each month.

if recheck then
  -- before each month: still working in Jinpu, insured there the month before
  local work = works_in_jinpu('works_in_jinpu', 1)
  local si = insured_before('social_insurance', f.social_insurance, {jinpu = true}, 1, on, '在金普新区社会保险', false)
  decide(and3(work, si))
end

local c_degree, deg = degree('degree', {doctor = true, master = true, bachelor = true, college = true})
local c_grad = graduated_within('graduated_within', P('within_months'))
local c_work = works_in_jinpu('works_in_jinpu', 1)
local c_si, start = insured('social_insurance', f.social_insurance, {jinpu = true}, P('insured_months'),
                           '在金普新区社会保险', false)

local ok = and3(c_degree, c_grad, c_work, c_si)
if ok == true then
  local function monthly(day) return P_at('monthly_' .. deg .. '_fen', day) end
  output('amount_fen', monthly(on))
  local last = month_no(string.sub(P('paid_until'), 1, 7))
  local out = {}
  for k = 0, P('max_months') - 1 do
    local m = start + k
    if m > last then break end
    local due = string.format('%04d-%02d-01', m // 12, m % 12 + 1)
    out[#out + 1] = {due = due, amount_fen = monthly(due)}
  end
  output('instalments', out)
end
decide(ok)
