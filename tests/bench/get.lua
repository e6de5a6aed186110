-- wrk script: an authenticated GET of one path.
wrk.headers["Cookie"] = os.getenv("XQ_COOKIE") or ""
