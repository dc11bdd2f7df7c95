import { createHash } from 'node:crypto';

/**
 * Applies one batch atomically. Keys are derived from the prefix exactly as `StoreKeys`
 * builds them (so Redis Cluster is not supported: every key would need to be declared).
 *
 * ARGV: prefix, session, seq, processId, gaugeTtlMs, sessionTtlMs, then three sections,
 * each a count followed by its entries:
 *   metadata   (name, shape, metaJson)
 *   increments (name, field, delta)   HINCRBYFLOAT into <prefix>:m:<name>
 *   gauge dels (field)                HDEL <prefix>:g:<processId> field
 *   gauge sets (name, field, value)   HSET <prefix>:g:<processId> field "value@nowMs"
 * (deletions first: a metric unregistered and registered again rewrites its fields).
 *
 * A batch is applied at most once: its sequence number must exceed the last one stored for
 * the session, so a batch resent after a lost reply (timeout, connection reset while Redis
 * had already run it) is acknowledged without counting twice.
 *
 * Returns { processHashExisted, applied, conflicts (name, storedShape)…, missingMeta… }.
 */
export const FLUSH_SCRIPT = `
local prefix, session, pid = ARGV[1], ARGV[2], ARGV[4]
local seq, gaugeTtl, sessionTtl = tonumber(ARGV[3]), tonumber(ARGV[5]), tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local procKey = prefix .. ':g:' .. pid
local procs = prefix .. ':procs'
local existed = redis.call('EXISTS', procKey)
redis.call('HSET', procKey, 'hb', now)
redis.call('PEXPIRE', procKey, gaugeTtl)
redis.call('ZADD', procs, now, pid)
redis.call('ZREMRANGEBYSCORE', procs, '-inf', '(' .. (now - gaugeTtl))

local seqKey = prefix .. ':seq:' .. session
local last = tonumber(redis.call('GET', seqKey) or '0')
if seq <= last then
  redis.call('PEXPIRE', seqKey, sessionTtl)
  return {existed, 0, {}, {}}
end
redis.call('SET', seqKey, seq, 'PX', sessionTtl)

local shapeKey, metaKey = prefix .. ':shape', prefix .. ':meta'
local refused, conflicts, known, missing = {}, {}, {}, {}
local i = 7
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  local name, shape, meta = ARGV[i], ARGV[i + 1], ARGV[i + 2]; i = i + 3
  local stored = redis.call('HGET', shapeKey, name)
  if stored and stored ~= shape then
    refused[name] = true
    conflicts[#conflicts + 1] = name
    conflicts[#conflicts + 1] = stored
  else
    if not stored then redis.call('HSET', shapeKey, name, shape) end
    redis.call('HSET', metaKey, name, meta)
    known[name] = true
  end
end

local function accept(name)
  if refused[name] then return false end
  if known[name] == nil then
    known[name] = redis.call('HEXISTS', shapeKey, name) == 1
    if not known[name] then missing[#missing + 1] = name end
  end
  return true
end

n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  local name, field, delta = ARGV[i], ARGV[i + 1], ARGV[i + 2]; i = i + 3
  if accept(name) then
    local key = prefix .. ':m:' .. name
    local r = redis.pcall('HINCRBYFLOAT', key, field, delta)
    if type(r) == 'table' and r.err then
      -- Non-finite increment or result: store the IEEE value as text (inf, -inf, nan).
      local v = (tonumber(redis.call('HGET', key, field) or '0') or (0 / 0)) + tonumber(delta)
      local text
      if v ~= v then text = 'nan'
      elseif v == math.huge then text = 'inf'
      elseif v == -math.huge then text = '-inf'
      else text = string.format('%.17g', v) end
      redis.call('HSET', key, field, text)
    end
  end
end

n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  redis.call('HDEL', procKey, ARGV[i]); i = i + 1
end

n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  local name, field, value = ARGV[i], ARGV[i + 1], ARGV[i + 2]; i = i + 3
  if accept(name) then redis.call('HSET', procKey, field, value .. '@' .. now) end
end

return {existed, 1, conflicts, missing}
`;

export const FLUSH_SCRIPT_SHA = createHash('sha1').update(FLUSH_SCRIPT).digest('hex');

/** What the flush script answered. */
export interface FlushReply {
  /** False when this process's gauge hash was gone: Redis lost data or it expired. */
  readonly processHashExisted: boolean;
  /** False when the batch had been applied before (a resend after a lost reply). */
  readonly applied: boolean;
  readonly conflicts: ReadonlyArray<{ readonly name: string; readonly storedShape: string }>;
  /** Metrics whose metadata Redis no longer holds (e.g. after a restart without persistence). */
  readonly missingMeta: readonly string[];
}

export function parseFlushReply(reply: unknown): FlushReply {
  const [existed, applied, conflicts, missing] = reply as [number, number, string[], string[]];
  const pairs: Array<{ name: string; storedShape: string }> = [];
  for (let i = 0; i + 1 < (conflicts?.length ?? 0); i += 2) {
    pairs.push({ name: conflicts[i]!, storedShape: conflicts[i + 1]! });
  }
  return {
    processHashExisted: existed === 1,
    applied: applied === 1,
    conflicts: pairs,
    missingMeta: missing ?? [],
  };
}
