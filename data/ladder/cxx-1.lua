-- rung: cxx
-- name: 创新型中小企业
-- version: 1
-- effective_from: 2022-06-01
-- valid_years: 3
-- citation: 《优质中小企业梯度培育管理暂行办法》（工信部企业〔2022〕63号）附件1《创新型中小企业评价标准》
local T = {pass = 60, innovation = 20, growth = 15, special = 15, equity_3y = 500}

-- 中小企业（《中小企业划型标准规定》：事实 sme；未给出时按工业标准，从业人员 1000 人以下或营业收入 4 亿元以下）
local sme
if type(f.sme) == 'boolean' then
  sme = check('sme', f.sme, f.sme, true, f.sme and '属于中小企业' or '不属于中小企业')
elseif num(f.staff) ~= nil and sales ~= nil then
  local ok = f.staff < 1000 or sales < 40000
  sme = check('sme', ok, nil, nil, ok and '按工业标准属于中小企业（从业人员 1000 人以下或营业收入 4 亿元以下）'
                                      or '按工业标准不属于中小企业（从业人员 1000 人以上且营业收入 4 亿元以上）')
else
  sme = missing('sme', '是否属于中小企业（或职工总数和营业收入）', true)
end
local safe = clean('no_incident', f.incident_last_year, '近三年未发生重大安全、质量、环境污染等事故',
  '发生过重大安全、质量、环境污染等事故', '是否发生重大安全、质量、环境污染等事故')
local honest = clean('not_dishonest', f.dishonest, '未列入经营异常名录或严重失信主体名单', '列入经营异常名录或严重失信主体名单',
  '是否列入严重失信主体名单')

-- 直通：近三年国家级或省级科技奖励；有效期内的高新技术企业等荣誉；省部级以上研发机构；近三年新增股权融资 500 万元以上
local routes = {}
if holds('gaoqi') then routes[#routes + 1] = '有效期内的高新技术企业' end
if claimed(f.award_3y) then routes[#routes + 1] = '近三年获国家级或省级科技奖励' end
if claimed(f.provincial_rd_institution) then routes[#routes + 1] = '拥有省部级以上研发机构' end
if num(f.equity_3y) ~= nil and at_least(f.equity_3y, T.equity_3y) then routes[#routes + 1] = '近三年新增股权融资 ' .. wan(f.equity_3y) end
local direct = check('direct', #routes > 0, #routes > 0 and table.concat(routes, '、') or nil, nil,
  #routes > 0 and ('直通：' .. table.concat(routes, '、')) or '不具备直通条件')

-- 评价：创新能力 40（知识产权 20、研发投入 20）、成长性 30（主营业务收入增长 20、资产负债率 10）、专业化 30（领域 10、主营业务占比 20）
local lack = {}
local p_ip
local i1, i2 = num(f.ip_class1), num(f.ip_class2)
if claimed(f.ip_class1_high_value) then p_ip = 20
elseif claimed(f.ip_class1_own) then p_ip = 15
elseif i1 ~= nil and i1 >= 1 then p_ip = 10
elseif i1 ~= nil and i2 ~= nil then p_ip = i2 >= 1 and 5 or 0
else lack[#lack + 1] = '知识产权数' end
local p_rd
if rd_last ~= nil and sales ~= nil and sales > 0 then
  p_rd = math.max(band(rd_last, {{500, 20}, {400, 15}, {300, 10}, {200, 5}}),
                  band(rd_last / sales, {{0.10, 20}, {0.08, 15}, {0.05, 10}, {0.03, 5}}))
else lack[#lack + 1] = '上年研发费用和营业收入' end
local p_growth
local last2 = tail(series(f.main_revenue_3y) or sales_3y, 2)
if last2 ~= nil and last2[1] > 0 then
  local g = last2[2] / last2[1] - 1
  p_growth = g < 0 and 0 or band(g, {{0.15, 20}, {0.10, 15}, {0.05, 10}, {0, 5}})
else lack[#lack + 1] = '近两年主营业务收入' end
local p_debt
local debt = num(f.debt_ratio)
if debt ~= nil then
  p_debt = at_most(debt, 55) and 10 or (at_most(debt, 75) and 5 or 0)
else lack[#lack + 1] = '资产负债率' end
local p_field
if type(f.strategic_emerging) == 'boolean' then p_field = f.strategic_emerging and 10 or 5
else lack[#lack + 1] = '主导产品是否属于战略性新兴产业' end
local p_main
local share = num(f.main_business_share)
if share ~= nil then p_main = band(share, {{70, 20}, {60, 15}, {55, 10}, {50, 5}})
else lack[#lack + 1] = '主营业务收入占营业收入比重' end

local score, scored
if #lack > 0 then
  scored = missing('score', table.concat(lack, '、'), T.pass)
else
  local inno, growth, special = p_ip + p_rd, p_growth + p_debt, p_field + p_main
  score = inno + growth + special
  local ok = score >= T.pass and inno >= T.innovation and growth >= T.growth and special >= T.special
  local why = '评价得分 ' .. score .. ' 分（创新能力 ' .. inno .. '、成长性 ' .. growth .. '、专业化 ' .. special .. '）'
  if ok then why = why .. '，达到 60 分且各项达标'
  else
    local short = {}
    if score < T.pass then short[#short + 1] = '总分低于 60 分（差 ' .. (T.pass - score) .. ' 分）' end
    if inno < T.innovation then short[#short + 1] = '创新能力低于 20 分' end
    if growth < T.growth then short[#short + 1] = '成长性低于 15 分' end
    if special < T.special then short[#short + 1] = '专业化低于 15 分' end
    why = why .. '：' .. table.concat(short, '，')
  end
  scored = check('score', ok, score, T.pass, why)
end

decide(and3(sme, safe, honest, or3(direct, scored)), score)
