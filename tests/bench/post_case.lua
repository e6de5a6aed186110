-- wrk script: 秒批 filing — submission, rule decision and signed certificate
-- in one request (item JP-MP-001 for the demo enterprise).
local cookie = os.getenv("XQ_COOKIE")
local csrf = os.getenv("XQ_CSRF")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = cookie
wrk.headers["X-CSRF-Token"] = csrf
-- XQ_BODY: the filing with its materials (uploaded once by scripts/bench.mjs:
-- every filing names the same files, as an enterprise reuses its own).
wrk.body = os.getenv("XQ_BODY")
