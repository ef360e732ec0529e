/**
 * Token buckets checked and charged in one atomic step. KEYS: the buckets. ARGV: per bucket, its refill rate
 * (tokens per second) then its burst capacity. Either every bucket gives a token or none is touched.
 *
 * Returns `{allowed (1|0), limiting bucket (1-based, 0 when allowed), retry after (ms), remaining per bucket…}`.
 * Each bucket is a hash `{tokens, ts}`: the tokens left at `ts` (µs). The refill since then is computed on read, so
 * idle buckets cost nothing; a bucket expires once it would be full again, which is the same as not existing.
 * `now` is Redis's own clock (TIME), so application hosts with skewed clocks share one consistent time line.
 */
export const TOKEN_BUCKET_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local count = #KEYS
local tokens = {}
local limiting = 0
local retry_ms = 0
for i = 1, count do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
  local level = tonumber(state[1])
  local since = tonumber(state[2])
  if level == nil or since == nil then
    level = burst
  else
    local elapsed = math.max(now - since, 0)
    level = math.min(burst, level + elapsed * rate / 1000000)
  end
  tokens[i] = level
  if level < 1 then
    local wait = math.max(math.ceil((1 - level) * 1000 / rate), 1)
    if wait > retry_ms then
      retry_ms = wait
      limiting = i
    end
  end
end
local reply = { 0, limiting, retry_ms }
if limiting > 0 then
  for i = 1, count do reply[3 + i] = math.floor(tokens[i]) end
  return reply
end
reply[1] = 1
local stamp = string.format('%.0f', now)
for i = 1, count do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local left = tokens[i] - 1
  redis.call('HSET', KEYS[i], 'tokens', string.format('%.17g', left), 'ts', stamp)
  redis.call('PEXPIRE', KEYS[i], math.ceil((burst - left) * 1000 / rate) + 1000)
  reply[3 + i] = math.floor(left)
end
return reply
`;
