-- rung: zjtx
-- name: 专精特新中小企业
-- version: 1
-- effective_from: 2022-06-01
-- valid_years: 3
-- citation: 《优质中小企业梯度培育管理暂行办法》（工信部企业〔2022〕63号）附件2《专精特新中小企业认定标准》
local T = {niche = 2, rd_amount = 100, rd_ratio = 0.03, revenue = 1000, equity_2y = 2000, pass = 60,
           rd_mean_2y = 1000, equity_direct = 6000}

local safe = clean('no_incident', f.incident_last_year, '近三年未发生重大安全、质量、环境污染等事故',
  '发生过重大安全、质量、环境污染等事故', '是否发生重大安全、质量、环境污染等事故')
local honest = clean('not_dishonest', f.dishonest, '未列入严重失信主体名单', '列入严重失信主体名单', '是否列入严重失信主体名单')

-- （一）从事特定细分市场 2 年以上
local niche = atleast('niche_years', num(f.niche_years), T.niche, '从事特定细分市场', ' 年')

-- （二）上年度研发费用不低于 100 万元，且占营业收入不低于 3%
local rd_a, rd_r
if rd_last == nil then
  rd_a = missing('rd_amount', '上年度研发费用', T.rd_amount)
  rd_r = missing('rd_ratio', '上年度研发费用和营业收入', T.rd_ratio)
else
  local ok = at_least(rd_last, T.rd_amount)
  rd_a = check('rd_amount', ok, rd_last, T.rd_amount, '上年度研发费用 ' .. wan(rd_last) ..
    (ok and '，不低于 100 万元' or '，低于 100 万元（差 ' .. wan(T.rd_amount - rd_last) .. '）'))
  local x = ratio(rd_last, sales)
  if x == nil then rd_r = missing('rd_ratio', '上年度营业收入', T.rd_ratio)
  else
    local ok2 = at_least(x, T.rd_ratio)
    rd_r = check('rd_ratio', ok2, r4(x), T.rd_ratio, '上年度研发费用占营业收入 ' .. pct(x) ..
      (ok2 and '，不低于 3%' or '，低于 3%（约差 ' .. wan(T.rd_ratio * sales - rd_last) .. '）'))
  end
end

-- （三）上年度营业收入 1000 万元以上，或近 2 年新增股权融资 2000 万元以上
local income
local eq2 = num(f.equity_2y)
if sales == nil and eq2 == nil then income = missing('revenue', '上年度营业收入', T.revenue)
else
  local ok = (sales ~= nil and at_least(sales, T.revenue)) or (eq2 ~= nil and at_least(eq2, T.equity_2y))
  income = check('revenue', ok, sales, T.revenue, ok and ('上年度营业收入 ' .. wan(sales or 0) .. (at_least(sales or 0, T.revenue) and '，达到 1000 万元' or '，近两年股权融资 ' .. wan(eq2) .. ' 达到 2000 万元'))
    or ('上年度营业收入 ' .. wan(sales or 0) .. '，不足 1000 万元，且近两年股权融资不足 2000 万元'))
end

-- （四）评价得分 60 分以上，或：近三年省级科技奖励前三名或国家级科技奖励；近两年研发费用均值 1000 万元以上；
--      近两年新增股权融资 6000 万元以上；近三年“创客中国”全国 500 强
local routes = {}
if claimed(f.award_3y) then routes[#routes + 1] = '近三年获省级（前三名）或国家级科技奖励' end
local two = tail(rd_3y, 2)
if two ~= nil and at_least((two[1] + two[2]) / 2, T.rd_mean_2y) then routes[#routes + 1] = '近两年研发费用均值达到 1000 万元' end
if eq2 ~= nil and at_least(eq2, T.equity_direct) then routes[#routes + 1] = '近两年新增股权融资达到 6000 万元' end
if claimed(f.maker_china_500) then routes[#routes + 1] = '近三年进入“创客中国”全国 500 强' end
local direct = check('direct', #routes > 0, nil, nil, #routes > 0 and table.concat(routes, '、') or '不具备直通条件')
local score = num(f.zjtx_score)
local scored
if score == nil then scored = missing('score', '专精特新评价得分', T.pass)
else scored = check('score', score >= T.pass, score, T.pass, '专精特新评价得分 ' .. text(score, 1) ..
  (score >= T.pass and ' 分，达到 60 分' or ' 分，低于 60 分')) end

decide(and3(safe, honest, niche, rd_a, rd_r, income, or3(direct, scored)), score)
