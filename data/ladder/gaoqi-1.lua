-- rung: gaoqi
-- name: 高新技术企业
-- version: 1
-- effective_from: 2016-01-01
-- valid_years: 3
-- citation: 《高新技术企业认定管理办法》（国科发火〔2016〕32号）第十一条；创新能力评价见《高新技术企业认定管理工作指引》（国科发火〔2016〕195号）
local T = {
  tech_staff = 0.10,                        -- 科技人员占职工总数，不低于
  rd = {{5000, 0.05}, {20000, 0.04}, {nil, 0.03}}, -- 最近一年销售收入 ≤5000万（含）、5000万至2亿（含）、2亿以上
  rd_china = 0.60, hightech = 0.60,
  innovation = 70,                          -- 创新能力评价 70 分以上（不含 70 分）
}

-- (一) 注册成立一年以上
local reg
if f.registered_on == nil or date.valid(f.registered_on) ~= true then
  reg = missing('registered_1y', '注册日期', '1 年')
else
  -- 注册成立 365 个日历天数以上（《工作指引》）
  local y = date.days(f.registered_on, on) >= 365 and 1 or 0
  reg = check('registered_1y', y >= 1, f.registered_on, '1 年',
    y >= 1 and ('注册成立已满一年（' .. f.registered_on .. '）')
           or ('注册成立未满一年（注册日期 ' .. f.registered_on .. '），须满一年'))
end

-- (二) 核心知识产权；(三) 技术属于《国家重点支持的高新技术领域》
local ip = flag('core_ip', f.core_ip, '拥有对主要产品（服务）发挥核心支持作用的知识产权',
  '没有对主要产品（服务）发挥核心支持作用的知识产权', '是否拥有核心知识产权')
local field = flag('field_supported', f.field_supported, '核心技术属于《国家重点支持的高新技术领域》',
  '核心技术不属于《国家重点支持的高新技术领域》', '核心技术是否属于国家重点支持的高新技术领域')

-- (四) 科技人员占当年职工总数不低于 10%
local staff, tech = num(f.staff), num(f.tech_staff)
local r = ratio(tech, staff)
local people
if r == nil then
  people = missing('tech_staff_ratio', '职工总数和科技人员数', T.tech_staff)
else
  local ok = at_least(r, T.tech_staff)
  local need = math.ceil(T.tech_staff * staff - 1e-9) - tech
  people = check('tech_staff_ratio', ok, r4(r), T.tech_staff,
    ok and ('科技人员占职工总数 ' .. pct(r) .. '，不低于 ' .. pct(T.tech_staff))
       or ('科技人员占职工总数 ' .. pct(r) .. '，低于 ' .. pct(T.tech_staff) .. '（差 ' .. text(need, 0) .. ' 人）'))
end

-- (五) 近三年研发费用占同期销售收入的比例，按最近一年销售收入分档；境内研发费用不低于 60%
local rd
-- 同期：研发费用与销售收入取相同的年度（实际经营不满三年的按实际年度）
local years = (rd_3y and sales_3y) and math.min(#rd_3y, #sales_3y, 3) or 0
local rd_sum, sales_sum
if years > 0 then rd_sum, sales_sum = total(tail(rd_3y, years)), total(tail(sales_3y, years)) end
if rd_sum == nil or sales_sum == nil or sales == nil or sales_sum <= 0 then
  rd = missing('rd_ratio', '近三年研发费用和销售收入', nil)
else
  local t
  for _, b in ipairs(T.rd) do
    if b[1] == nil or at_most(sales, b[1]) then t = b[2] break end
  end
  local x = rd_sum / sales_sum
  local ok = at_least(x, t)
  local msg
  if ok then
    msg = '近三年研发费用占销售收入 ' .. pct(x) .. '，不低于 ' .. pct(t)
  else
    msg = '近三年研发费用占销售收入 ' .. pct(x) .. '，低于 ' .. pct(t) .. '（差 ' .. text((t - x) * 100, 2) ..
      ' 个百分点，约 ' .. wan(t * sales_sum - rd_sum) .. '）'
  end
  rd = check('rd_ratio', ok, r4(x), t, msg)
end
local china
local china_3y = series(f.rd_in_china_3y)
local in_china = (china_3y and years > 0 and #china_3y >= years) and total(tail(china_3y, years)) or nil
if in_china == nil or rd_sum == nil or rd_sum <= 0 then
  china = missing('rd_in_china', '近三年境内研发费用', T.rd_china)
else
  local x = in_china / rd_sum
  local ok = at_least(x, T.rd_china)
  china = check('rd_in_china', ok, r4(x), T.rd_china,
    (ok and '境内研发费用占全部研发费用 ' .. pct(x) .. '，不低于 ' or '境内研发费用占全部研发费用 ' .. pct(x) .. '，低于 ') ..
    pct(T.rd_china))
end

-- (六) 近一年高新技术产品（服务）收入占同期总收入不低于 60%
local ht
local h = ratio(num(f.hightech_income), num(f.total_income))
if h == nil then
  ht = missing('hightech_income', '高新技术产品（服务）收入和总收入', T.hightech)
else
  local ok = at_least(h, T.hightech)
  local msg = '高新技术产品（服务）收入占总收入 ' .. pct(h) .. (ok and '，不低于 ' or '，低于 ') .. pct(T.hightech)
  if not ok then msg = msg .. '（差 ' .. wan(T.hightech * f.total_income - f.hightech_income) .. '）' end
  ht = check('hightech_income', ok, r4(h), T.hightech, msg)
end

-- (七) 创新能力评价 70 分以上（不含 70 分）
local inno
local score = num(f.innovation_score)
if score == nil then
  inno = missing('innovation_score', '创新能力评价得分', T.innovation)
else
  local ok = score > T.innovation
  inno = check('innovation_score', ok, score, T.innovation,
    ok and ('创新能力评价 ' .. text(score, 1) .. ' 分，高于 70 分')
       or ('创新能力评价 ' .. text(score, 1) .. ' 分，须高于 70 分（不含 70 分）'))
end

-- (八) 申请认定前一年内未发生重大安全、重大质量事故或严重环境违法行为
local safe = clean('no_incident', f.incident_last_year, '前一年内未发生重大安全、质量事故或严重环境违法行为',
  '前一年内发生过重大安全、质量事故或严重环境违法行为', '前一年内是否发生重大安全、质量事故或严重环境违法行为')

decide(and3(reg, ip, field, people, rd, china, ht, inno, safe), score)
