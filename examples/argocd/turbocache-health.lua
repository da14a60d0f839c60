-- Argo CD health check of a turbocache.dev/TurboCache, read from the status the operator writes.
-- Argo CD runs it with Lua's base and table libraries only (no string library), so it compares and
-- concatenates strings and does nothing else with them. Its argocd-cm entry (argocd-cm.yaml) is
-- generated from this file.
local function health(status, message)
  return {status = status, message = message}
end

local function find(conditions, type)
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function describe(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    if c.reason ~= nil and c.reason ~= "" then
      return c.reason .. ": " .. c.message
    end
    return c.message
  end
  return fallback
end

-- Being deleted: finalizers (the operator's clean-up) still run.
if obj.metadata.deletionTimestamp ~= nil then
  if obj.metadata.finalizers ~= nil and #obj.metadata.finalizers > 0 then
    return health("Progressing", "Deleting: waiting for finalizers " .. table.concat(obj.metadata.finalizers, ", "))
  end
  return health("Progressing", "Deleting")
end

local status = obj.status
if status == nil or status.conditions == nil then
  return health("Progressing", "Waiting for the operator to report the status")
end

-- A status written for an older spec says nothing about the current one.
local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  return health("Progressing", "Waiting for the operator to reconcile generation " .. generation)
end

-- The first of these conditions that is true decides: a problem shows even while paused.
for _, verdict in ipairs({{"Degraded", "Degraded"}, {"Paused", "Suspended"}}) do
  local c = find(status.conditions, verdict[1])
  if isTrue(c) then
    return health(verdict[2], describe(c, verdict[1]))
  end
end

local ready = find(status.conditions, "Ready")
if isTrue(ready) and (generation == nil or ready.observedGeneration == nil or ready.observedGeneration >= generation) then
  return health("Healthy", describe(ready, "Ready"))
end
return health("Progressing",
  describe(find(status.conditions, "Progressing"), describe(ready, "Waiting for the cache to become ready")))
