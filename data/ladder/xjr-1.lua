-- rung: xjr
-- name: 专精特新“小巨人”企业
-- version: 1
-- effective_from: 2022-06-01
-- valid_years: 3
-- citation: 《优质中小企业梯度培育管理暂行办法》（工信部企业〔2022〕63号）附件3《专精特新“小巨人”企业认定标准》
local T = {niche = 3, main_share = 70, growth = 0.05, debt = 70, market_share = 10,
           big = 10000, mid = 5000, rd_big = 0.03, rd_mid = 0.06, equity_small = 8000, rd_small = 3000,
           rd_staff_small = 0.50, ip_class1 = 2}

local safe = clean('no_incident', f.incident_last_year, '近三年未发生重大安全、质量、环境污染等事故',
  '发生过重大安全、质量、环境污染等事故', '是否发生重大安全、质量、环境污染等事故')
local honest = clean('not_dishonest', f.dishonest, '未列入严重失信主体名单', '列入严重失信主体名单', '是否列入严重失信主体名单')
local base = check('holds_zjtx', holds('zjtx'), nil, nil, holds('zjtx') and '是有效期内的专精特新中小企业'
  or '须先是有效期内的专精特新中小企业')

-- （一）专业化：细分市场 3 年以上；主营业务收入占比不低于 70%；近 2 年主营业务收入平均增长率不低于 5%
local niche = atleast('niche_years', num(f.niche_years), T.niche, '从事特定细分市场', ' 年')
local main = atleast('main_business_share', num(f.main_business_share), T.main_share, '主营业务收入占营业收入', '%')
local grow
local m3 = tail(series(f.main_revenue_3y) or sales_3y, 3)
if m3 == nil or m3[1] <= 0 or m3[2] <= 0 then grow = missing('growth_2y', '近三年主营业务收入', T.growth)
else
  local g = ((m3[2] / m3[1] - 1) + (m3[3] / m3[2] - 1)) / 2
  grow = check('growth_2y', at_least(g, T.growth), r4(g), T.growth, '近两年主营业务收入平均增长 ' .. pct(g) ..
    (at_least(g, T.growth) and '，不低于 5%' or '，低于 5%'))
end
-- （二）精细化：资产负债率不高于 70%
local debt = atmost('debt_ratio', num(f.debt_ratio), T.debt, '资产负债率', '%')
-- （三）特色化：主导产品全国细分市场占有率 10% 以上
local market = atleast('market_share', num(f.market_share), T.market_share, '主导产品全国细分市场占有率', '%')

-- （四）创新能力：一般性条件（研发投入按营业收入分档、研发机构、Ⅰ类知识产权 2 项以上），或创新直通条件
local rd2 = tail(rd_3y, 2)
local s2 = tail(sales_3y, 2)
local general_rd
if sales == nil then general_rd = missing('rd_general', '上年度营业收入', nil)
elseif at_least(sales, T.mid) then
  local t = at_least(sales, T.big) and T.rd_big or T.rd_mid
  if rd2 == nil or s2 == nil or s2[1] <= 0 or s2[2] <= 0 then
    general_rd = missing('rd_general', '近两年研发费用和营业收入', t)
  else
    -- 近 2 年研发费用总额占营业收入总额的比重
    local x = (rd2[1] + rd2[2]) / (s2[1] + s2[2])
    local ok = at_least(x, t)
    general_rd = check('rd_general', ok, r4(x), t, '近两年研发费用总额占营业收入总额 ' .. pct(x) ..
      (ok and '，不低于 ' or '，低于 ') .. pct(t))
  end
else
  local eq, staff, tech = num(f.equity_2y), num(f.staff), num(f.tech_staff)
  if eq == nil or rd2 == nil or staff == nil or tech == nil or staff <= 0 then
    general_rd = missing('rd_general', '近两年股权融资、研发费用和研发人员数', nil)
  else
    local ok = at_least(eq, T.equity_small) and at_least(rd2[1] + rd2[2], T.rd_small) and at_least(tech / staff, T.rd_staff_small)
    general_rd = check('rd_general', ok, nil, nil, '营业收入不足 5000 万元：近两年股权融资 ' .. wan(eq) .. '、研发费用 ' ..
      wan(rd2[1] + rd2[2]) .. '、研发人员占 ' .. pct(tech / staff) ..
      (ok and '，均达标' or '；须股权融资 8000 万元以上、研发费用 3000 万元以上、研发人员占 50% 以上'))
  end
end
local inst = flag('rd_institution', f.rd_institution, '自建或联合建立了研发机构', '没有自建或联合建立的研发机构', '是否有研发机构')
local ip
local i1 = num(f.ip_class1)
if i1 == nil then ip = missing('ip_class1', 'Ⅰ类知识产权数', T.ip_class1)
else ip = check('ip_class1', i1 >= T.ip_class1, i1, T.ip_class1, '与主导产品相关的Ⅰ类知识产权 ' .. i1 .. ' 项' ..
  (i1 >= T.ip_class1 and '，达到 2 项' or '，不足 2 项')) end
local routes = {}
if claimed(f.national_award_3y) then routes[#routes + 1] = '近三年获国家级科技奖励（前三名）' end
if claimed(f.maker_china_50) then routes[#routes + 1] = '近三年进入“创客中国”全国 50 强' end
local direct = check('direct', #routes > 0, nil, nil, #routes > 0 and table.concat(routes, '、') or '不具备创新直通条件')

decide(and3(safe, honest, base, niche, main, grow, debt, market, or3(direct, and3(general_rd, inst, ip))), nil)
