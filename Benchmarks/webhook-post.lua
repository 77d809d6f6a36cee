-- wrk script: kube-apiserver's webhook calls (TokenReview, SubjectAccessReview) against kubeid.
-- Posts the JSON in the file BENCH_BODY_FILE with Authorization: Bearer BENCH_BEARER (the
-- cluster's webhook token).

local path = os.getenv("BENCH_BODY_FILE") or error("BENCH_BODY_FILE is not set")
local bearer = os.getenv("BENCH_BEARER") or error("BENCH_BEARER is not set")
local file = assert(io.open(path, "rb"))
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, */*"
wrk.headers["Authorization"] = "Bearer " .. bearer
wrk.body = body
