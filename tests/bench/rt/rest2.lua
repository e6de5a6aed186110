-- wrk script: RT's REST2 side of the RT 5 comparison (tests/bench/rt.mjs).
-- RT_COOKIE is the session cookie of a login through RT's web form; with
-- RT_BODY the request is a POST of that JSON with the Origin RT's CSRF
-- check asks of a cookie-authenticated write (what xinqu's X-CSRF-Token is).
wrk.headers["Cookie"] = os.getenv("RT_COOKIE")
local body = os.getenv("RT_BODY")
if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Origin"] = os.getenv("RT_ORIGIN")
end
