-- wrk script: client-credentials token requests (client_secret_post) against kubeid.
-- Reads BENCH_CLIENT_ID and BENCH_CLIENT_SECRET from the environment.

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local client_id = os.getenv("BENCH_CLIENT_ID") or error("BENCH_CLIENT_ID is not set")
local client_secret = os.getenv("BENCH_CLIENT_SECRET") or error("BENCH_CLIENT_SECRET is not set")
local scope = os.getenv("BENCH_SCOPE") or "6dae42f8-4368-4678-94ff-3960e28e3630/.default"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.body = "grant_type=client_credentials"
  .. "&client_id=" .. urlencode(client_id)
  .. "&client_secret=" .. urlencode(client_secret)
  .. "&scope=" .. urlencode(scope)
