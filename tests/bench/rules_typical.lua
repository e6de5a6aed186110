-- A typical 秒批 rule (instant approval of a business licence change): the
-- one `make bench` times, in Lua here and as json-rules-engine conditions in
-- tests/bench/rules.mjs. Facts: tests/bench/rules_facts.json.
local p, f, m = facts.party, facts.form, facts.materials
if facts.broken_promise then deny("申请人被列入失信联合惩戒名单") end
if p.type ~= "entity" then manual("申请人不是市场主体，转人工审核") end
if p.status ~= "active" then deny("市场主体状态异常：" .. p.status) end
if p.kind ~= "company" and p.kind ~= "branch" then manual("主体类型需人工审核") end
if (date.years(p.established, facts.today) or 0) < 1 then deny("成立未满一年") end
if (f.employees or 0) < 1 then deny("从业人员不足") end
if f.address_in_zone ~= true then manual("经营地址不在新区范围内") end
if not (m.application_form and m.license_copy and m.lease_contract) then deny("材料不齐全") end
approve("市场主体状态正常", "材料齐全", "符合秒批条件")
