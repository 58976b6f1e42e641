"""Lua scripts that make the Redis store's multi-key changes atomic."""

from __future__ import annotations

# KEYS: seq, msgs zset. ARGV: message key prefix, now, client, expiry margin, then
# (id, body, ttl, delay, checksum) per message. Returns the first sequence number.
POST = """
local n = (#ARGV - 4) / 5
local last = redis.call('INCRBY', KEYS[1], n)
local seq = last - n
local now = tonumber(ARGV[2])
for i = 0, n - 1 do
  local o = 5 + i * 5
  local id, ttl, delay = ARGV[o], tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3])
  local key = ARGV[1] .. id
  seq = seq + 1
  redis.call('HSET', key, 'b', ARGV[o + 1], 't', ttl, 'c', ARGV[2], 'e', now + ttl,
    'd', now + delay, 'k', ARGV[3], 'h', ARGV[o + 4], 'ci', '', 'ce', 0, 'cc', 0, 's', seq)
  redis.call('EXPIREAT', key, math.floor(now + ttl + tonumber(ARGV[4])))
  redis.call('ZADD', KEYS[2], seq, id)
end
return last - n + 1
"""

# Walks a queue's messages in order, calling visit(id, key, fields) on the live ones;
# expired entries are dropped on the way. Shared by CLAIM and POP.
_WALK = """
local function walk(zset, prefix, now, want, visit)
  local last, taken = '-inf', 0
  while taken < want do
    local chunk = redis.call('ZRANGEBYSCORE', zset, last, '+inf', 'WITHSCORES', 'LIMIT', 0, 100)
    if #chunk == 0 then break end
    for i = 1, #chunk, 2 do
      local id = chunk[i]
      last = '(' .. chunk[i + 1]
      local key = prefix .. id
      local f = redis.call('HMGET', key, 'e', 'd', 'ce', 'cc')
      if not f[1] or tonumber(f[1]) <= now then
        redis.call('ZREM', zset, id)
        redis.call('DEL', key)
      elseif tonumber(f[2]) <= now and tonumber(f[3]) <= now then
        if visit(id, key, f) then taken = taken + 1 end
        if taken >= want then break end
      end
    end
  end
end
"""

# KEYS: msgs, claim hash, claim set, dlq seq, dlq msgs, queues index, dlq meta.
# ARGV: prefix, now, claim id, ttl, grace, limit, max claim count, dlq name, dlq ttl,
# dlq prefix, expiry margin. Returns the claimed ids.
CLAIM = (
    _WALK
    + """
local prefix, now, cid = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local ttl, grace, limit = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local maxcc, dlq, margin = tonumber(ARGV[7]), ARGV[8], tonumber(ARGV[11])
local ids = {}
local function dead_letter(id, key)
  local seq = redis.call('INCR', KEYS[4])
  local body, t, k, h = unpack(redis.call('HMGET', key, 'b', 't', 'k', 'h'))
  local life = tonumber(ARGV[9]) or tonumber(t)
  local new = ARGV[10] .. id
  redis.call('HSET', new, 'b', body, 't', life, 'c', now, 'e', now + life, 'd', now,
    'k', k, 'h', h, 'ci', '', 'ce', 0, 'cc', 0, 's', seq)
  redis.call('EXPIREAT', new, math.floor(now + life + margin))
  redis.call('ZADD', KEYS[5], seq, id)
  redis.call('ZADD', KEYS[6], 0, dlq)
  redis.call('SETNX', KEYS[7], '{}')
  redis.call('ZREM', KEYS[1], id)
  redis.call('DEL', key)
end
walk(KEYS[1], prefix, now, limit, function(id, key, f)
  if maxcc > 0 and dlq ~= '' and tonumber(f[4]) >= maxcc then
    dead_letter(id, key)
    return false
  end
  local hold = now + ttl + grace
  local e = tonumber(f[1])
  if e < hold then e = hold end
  redis.call('HSET', key, 'ci', cid, 'ce', now + ttl, 'e', e)
  redis.call('HINCRBY', key, 'cc', 1)
  redis.call('EXPIREAT', key, math.floor(e + margin))
  ids[#ids + 1] = id
  return true
end)
if #ids > 0 then
  redis.call('HSET', KEYS[2], 't', ttl, 'g', grace, 'c', now, 'e', now + ttl)
  redis.call('SADD', KEYS[3], unpack(ids))
  redis.call('EXPIREAT', KEYS[2], math.floor(now + ttl + margin))
  redis.call('EXPIREAT', KEYS[3], math.floor(now + ttl + margin))
end
return ids
"""
)

# KEYS: msgs. ARGV: prefix, now, limit. Returns flattened (id, body, ttl, created,
# client, checksum, seq) of the popped messages.
POP = (
    _WALK
    + """
local out = {}
walk(KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), function(id, key, f)
  local v = redis.call('HMGET', key, 'b', 't', 'c', 'k', 'h', 's', 'e')
  out[#out + 1] = id
  for _, x in ipairs(v) do out[#out + 1] = x end
  redis.call('ZREM', KEYS[1], id)
  redis.call('DEL', key)
  return true
end)
return out
"""
)

# KEYS: msgs, message hash. ARGV: id, claim id ('' for none), now.
# Returns {0} when deleted or missing, {1, held claim id or ''} on a claim mismatch.
DELETE = """
local ci, ce = unpack(redis.call('HMGET', KEYS[2], 'ci', 'ce'))
if not ci then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return {0}
end
local held = ''
if ci ~= '' and tonumber(ce) > tonumber(ARGV[3]) then held = ci end
if held ~= ARGV[2] then return {1, held} end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[1])
return {0}
"""

# KEYS: claim hash, claim set. ARGV: prefix, claim id, now, ttl, grace, margin.
# Returns 1 when the live claim was renewed, 0 when there is none.
RENEW = """
local e = redis.call('HGET', KEYS[1], 'e')
local now, ttl, grace = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
if not e or tonumber(e) <= now then return 0 end
redis.call('HSET', KEYS[1], 't', ttl, 'g', grace, 'e', now + ttl)
redis.call('EXPIREAT', KEYS[1], math.floor(now + ttl + tonumber(ARGV[6])))
redis.call('EXPIREAT', KEYS[2], math.floor(now + ttl + tonumber(ARGV[6])))
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local key = ARGV[1] .. id
  local ci, me = unpack(redis.call('HMGET', key, 'ci', 'e'))
  if ci == ARGV[2] then
    local hold = now + ttl + grace
    if tonumber(me) > hold then hold = tonumber(me) end
    redis.call('HSET', key, 'ce', now + ttl, 'e', hold)
    redis.call('EXPIREAT', key, math.floor(hold + tonumber(ARGV[6])))
  end
end
return 1
"""

# KEYS: claim hash, claim set. ARGV: prefix, claim id.
RELEASE = """
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local key = ARGV[1] .. id
  if redis.call('HGET', key, 'ci') == ARGV[2] then
    redis.call('HSET', key, 'ci', '', 'ce', 0)
  end
end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
"""

# KEYS: subscriber index, subscription hash, subscriptions zset.
# ARGV: subscriber, id, now, then the hash's field/value pairs. Returns 0 on a duplicate.
SUBSCRIBE = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  local e = redis.call('HGET', ARGV[4] .. old, 'e')
  if e and tonumber(e) > tonumber(ARGV[3]) then return 0 end
  redis.call('ZREM', KEYS[3], old)
  redis.call('DEL', ARGV[4] .. old)
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], unpack(ARGV, 5))
redis.call('ZADD', KEYS[3], 0, ARGV[2])
return 1
"""
