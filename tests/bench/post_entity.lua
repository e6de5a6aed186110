-- wrk script: durable entity creation (the server generates each USCC).
local cookie = os.getenv("XQ_COOKIE")
local csrf = os.getenv("XQ_CSRF")
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = cookie
wrk.headers["X-CSRF-Token"] = csrf
request = function()
  n = n + 1
  local body = string.format(
    '{"name":"大连基准测试%d科技有限公司","kind":"company","legal_rep":"张三",' ..
    '"capital_fen":100000000,"industry":"I","district":"小窑湾","established":"2024-01-02"}', n)
  return wrk.format(nil, "/api/v1/entities", nil, body)
end
