-- rung: kjxzx
-- name: 科技型中小企业
-- version: 1
-- effective_from: 2017-05-03
-- valid_years: 1
-- citation: 《科技型中小企业评价办法》（国科发政〔2017〕115号）第四条、第六条及附件《科技型中小企业评价指标》
local T = {staff = 500, sales = 20000, assets = 20000, pass = 60}

-- 第四条（二）职工总数不超过 500 人、年销售收入不超过 2 亿元、资产总额不超过 2 亿元
local c_staff = atmost('staff', num(f.staff), T.staff, '职工总数', ' 人')
local c_sales = atmost('sales', sales, T.sales, '年销售收入', ' 万元')
local c_assets = atmost('total_assets', num(f.total_assets), T.assets, '资产总额', ' 万元')

-- 第四条（四）当年和上一年未发生重大安全、质量事故、严重环境违法和科研严重失信行为，未列入经营异常名录和严重违法失信名单
local safe = clean('no_incident', f.incident_last_year, '未发生重大安全、质量事故或严重环境违法行为',
  '发生过重大安全、质量事故或严重环境违法行为', '是否发生重大安全、质量事故或严重环境违法行为')
local honest = clean('not_dishonest', f.dishonest, '未列入严重违法失信名单，无科研严重失信行为',
  '有严重失信记录', '是否有严重失信记录')

-- 第六条 直接确认：有效期内的高新技术企业、近五年国家级科技奖励（前三名）、省部级以上研发机构、近五年主导制定国际、国家或行业标准
local routes = {}
if holds('gaoqi') then routes[#routes + 1] = '拥有有效期内的高新技术企业证书' end
if claimed(f.national_award_5y) then routes[#routes + 1] = '近五年获国家级科技奖励' end
if claimed(f.provincial_rd_institution) then routes[#routes + 1] = '拥有省部级以上研发机构' end
if claimed(f.led_standard_5y) then routes[#routes + 1] = '近五年主导制定过国际、国家或行业标准' end
local direct = check('direct', #routes > 0, #routes > 0 and table.concat(routes, '、') or nil, nil,
  #routes > 0 and ('可直接确认：' .. table.concat(routes, '、'))
              or '不具备直接确认条件（高企证书、国家级科技奖励、省部级研发机构、主导制定标准）')

-- 第四条（五）评价得分不低于 60 分，且科技人员指标不得为 0 分
-- 科技人员（20 分）：科技人员占职工总数
local p_staff
local rs = ratio(num(f.tech_staff), num(f.staff))
if rs ~= nil then p_staff = band(rs, {{0.30, 20}, {0.25, 16}, {0.20, 12}, {0.15, 8}, {0.10, 4}}) end
-- 研发投入（50 分）：研发费用占销售收入，或占成本费用支出，取高者
local p_rd
local r1 = ratio(rd_last, sales)
if r1 ~= nil then
  p_rd = band(r1, {{0.06, 50}, {0.05, 40}, {0.04, 30}, {0.03, 20}, {0.02, 10}})
  local r2 = ratio(rd_last, num(f.cost_total))
  if r2 ~= nil then p_rd = math.max(p_rd, band(r2, {{0.30, 50}, {0.25, 40}, {0.20, 30}, {0.15, 20}, {0.10, 10}})) end
end
-- 科技成果（30 分）：Ⅰ类知识产权 1 项以上 30 分；Ⅱ类 4 项以上 24、3 项 18、2 项 12、1 项 6
local p_ip
local i1, i2 = num(f.ip_class1), num(f.ip_class2)
if i1 ~= nil and i1 >= 1 then p_ip = 30
elseif i1 ~= nil and i2 ~= nil then p_ip = band(i2, {{4, 24}, {3, 18}, {2, 12}, {1, 6}}) end

local tech_ok
if p_staff == nil then
  tech_ok = missing('tech_staff_points', '职工总数和科技人员数', '> 0')
else
  tech_ok = check('tech_staff_points', p_staff > 0, p_staff, '> 0',
    p_staff > 0 and ('科技人员指标得 ' .. p_staff .. ' 分（科技人员占 ' .. pct(rs) .. '）')
                or ('科技人员指标得 0 分（科技人员占 ' .. pct(rs) .. '，低于 10%），不得为 0 分'))
end
local score
local scored
if p_staff == nil or p_rd == nil or p_ip == nil then
  local lack = {}
  if p_staff == nil then lack[#lack + 1] = '职工总数和科技人员数' end
  if p_rd == nil then lack[#lack + 1] = '上年研发费用和销售收入' end
  if p_ip == nil then lack[#lack + 1] = 'Ⅰ类、Ⅱ类知识产权数' end
  scored = missing('score', table.concat(lack, '、'), T.pass)
else
  score = p_staff + p_rd + p_ip
  local ok = score >= T.pass
  scored = check('score', ok, score, T.pass,
    '评价得分 ' .. score .. ' 分（科技人员 ' .. p_staff .. '、研发投入 ' .. p_rd .. '、科技成果 ' .. p_ip .. '）' ..
    (ok and '，不低于 60 分' or '，低于 60 分（差 ' .. (T.pass - score) .. ' 分）'))
end

decide(and3(c_staff, c_sales, c_assets, safe, honest, or3(direct, and3(scored, tech_ok))), score)
