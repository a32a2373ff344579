#!/usr/bin/env awslua
-- Deletes the objects under a prefix that are older than N days.
--
--   awslua scripts/s3_delete_older_than.lua BUCKET PREFIX DAYS [--dry-run]
--
-- DAYS may be fractional (0.5 is twelve hours). With --dry-run nothing is
-- deleted; the summary says what would be.

local usage = "usage: s3_delete_older_than.lua BUCKET PREFIX DAYS [--dry-run]"
local bucket, prefix, days = arg[1], arg[2], tonumber(arg[3])
local dry_run = arg[4] == "--dry-run"
if not bucket or not prefix or not days or (arg[4] and not dry_run) then
  io.stderr:write(usage, "\n")
  os.exit(2)
end

local s3 = aws.client("s3")
local cutoff = os.time() - days * 86400
local seen, old, bytes, deleted = 0, 0, 0, 0

-- delete_objects takes at most 1,000 keys; a page of list_objects_v2 holds
-- at most 1,000 objects, so one batch per page.
local function delete(batch)
  if #batch == 0 or dry_run then return end
  local r = s3:delete_objects{Bucket = bucket, Delete = {Objects = batch, Quiet = true}}
  for _, e in ipairs(r.Errors or {}) do
    io.stderr:write(("could not delete %s: %s %s\n"):format(e.Key, e.Code, e.Message))
  end
  deleted = deleted + #batch - #(r.Errors or {})
end

for page in s3:get_paginator("list_objects_v2"):paginate{Bucket = bucket, Prefix = prefix} do
  local batch = {}
  for _, obj in ipairs(page.Contents or {}) do
    seen = seen + 1
    -- Whole seconds, as os.time counts them (MinIO's LastModified has
    -- milliseconds): with DAYS=0 an object written earlier in this second
    -- is old enough.
    if math.floor(obj.LastModified:unix()) <= cutoff then
      old, bytes = old + 1, bytes + obj.Size
      batch[#batch + 1] = {Key = obj.Key}
    end
  end
  delete(batch)
end

print(("%s %d of %d objects (%d bytes) older than %g days under s3://%s/%s"):format(
  dry_run and "would delete" or "deleted", dry_run and old or deleted, seen, bytes, days, bucket, prefix))
