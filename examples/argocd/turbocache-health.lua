-- Argo CD health check of a turbocache.dev/TurboCache, read from the status the operator writes.
-- Argo CD runs it with Lua's base and table libraries only (no string library), so it compares and
-- concatenates strings and does nothing else with them. Its argocd-cm entry (argocd-cm.yaml) is
-- generated from this file.
local hs = {}

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
  hs.status = "Progressing"
  if obj.metadata.finalizers ~= nil and #obj.metadata.finalizers > 0 then
    hs.message = "Deleting: waiting for finalizers " .. table.concat(obj.metadata.finalizers, ", ")
  else
    hs.message = "Deleting"
  end
  return hs
end

local status = obj.status
if status == nil or status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report the status"
  return hs
end

-- A status written for an older spec says nothing about the current one.
local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to reconcile generation " .. generation
  return hs
end

local conditions = status.conditions
local degraded = find(conditions, "Degraded")
if isTrue(degraded) then
  hs.status = "Degraded"
  hs.message = describe(degraded, "Degraded")
  return hs
end

local paused = find(conditions, "Paused")
if isTrue(paused) then
  hs.status = "Suspended"
  hs.message = describe(paused, "Paused: spec.paused is true")
  return hs
end

local ready = find(conditions, "Ready")
if isTrue(ready) and (generation == nil or ready.observedGeneration == nil or ready.observedGeneration >= generation) then
  hs.status = "Healthy"
  hs.message = describe(ready, "Ready")
  return hs
end

hs.status = "Progressing"
hs.message = describe(find(conditions, "Progressing"), describe(ready, "Waiting for the cache to become ready"))
return hs
