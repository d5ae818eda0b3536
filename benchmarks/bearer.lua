-- GET with the access token of the benchmark user.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ACCESS_TOKEN")
