-- rung: dxgj
-- name: 制造业单项冠军企业
-- version: 1
-- effective_from: 2023-08-01
-- valid_years: 3
-- citation: 《制造业单项冠军企业认定管理办法》（工信部政法〔2023〕138号）：专注细分领域 10 年以上（新产品 3 年以上）、申请产品市场占有率全球前三、拥有核心自主知识产权；被撤销的 3 年内不得再次申请
local T = {years = 10, new_years = 3, rank = 3, bar_years = 3}

local safe = clean('no_incident', f.incident_last_year, '近三年无环境、质量、安全违法记录', '有环境、质量、安全违法记录',
  '是否有环境、质量、安全违法记录')
local honest = clean('not_dishonest', f.dishonest, '未列入严重失信主体名单', '列入严重失信主体名单', '是否列入严重失信主体名单')

local field
local y = num(f.years_in_field)
if y == nil then field = missing('years_in_field', '从事相关领域的年数', T.years)
else
  local need = claimed(f.new_product) and T.new_years or T.years
  field = check('years_in_field', at_least(y, need), y, need, '从事相关领域 ' .. text(y, 1) .. ' 年' ..
    (at_least(y, need) and '，达到 ' or '，不足 ') .. need .. ' 年' .. (claimed(f.new_product) and '（新产品）' or ''))
end
local rank
local r = num(f.market_rank_global)
if r == nil then rank = missing('market_rank_global', '申请产品的全球市场占有率排名', T.rank)
else rank = check('market_rank_global', r <= T.rank, r, T.rank, '申请产品市场占有率全球第 ' .. text(r, 0) ..
  (r <= T.rank and ' 位，位居前三' or ' 位，未进入全球前三')) end
local ip = flag('core_ip', f.core_ip, '拥有核心自主知识产权', '没有核心自主知识产权', '是否拥有核心自主知识产权')

-- 被撤销单项冠军称号的，3 年内不得再次申请
local barred = false
local until_day
for _, x in ipairs(titles()) do
  if x.rung == 'dxgj' and type(x.revoked_on) == 'string' and date.valid(x.revoked_on) and
     date.years(x.revoked_on, on) < T.bar_years then
    barred = true
    until_day = x.revoked_on
  end
end
local bar = check('not_barred', not barred, until_day, nil, barred and ('单项冠军称号于 ' .. until_day .. ' 被撤销，3 年内不得再次申请')
  or '无 3 年内被撤销的单项冠军称号')

decide(and3(safe, honest, field, rank, ip, bar), nil)
