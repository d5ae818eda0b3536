-- A fixed request with a body, from environment variables (wrk's Lua cannot take arguments).
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE")
