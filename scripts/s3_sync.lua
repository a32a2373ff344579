#!/usr/bin/env awslua
-- Syncs a local directory to an S3 prefix: uploads the files that are new
-- or changed (by size and ETag), and with --delete removes objects that no
-- longer have a local file.
--
--   awslua scripts/s3_sync.lua DIR s3://BUCKET/PREFIX [--dry-run] [--delete]
--
-- The ETag of a local file is computed the way S3 computes it for an
-- upload in 8 MiB parts (upload_file's default), so a file that was synced
-- before is not sent again. Objects whose ETag is not an MD5 (SSE-KMS)
-- are compared by size alone.

local usage = "usage: s3_sync.lua DIR s3://BUCKET/PREFIX [--dry-run] [--delete]"
local dir, target = arg[1], arg[2]
local dry_run, delete = false, false
for i = 3, #arg do
  if arg[i] == "--dry-run" then dry_run = true
  elseif arg[i] == "--delete" then delete = true
  else dir = nil end
end
local bucket, prefix = (target or ""):match("^s3://([^/]+)/?(.*)$")
if not dir or not bucket then
  io.stderr:write(usage, "\n")
  os.exit(2)
end
if prefix ~= "" and prefix:sub(-1) ~= "/" then prefix = prefix .. "/" end

local chunk = 8 * 1024 * 1024
local s3 = aws.client("s3")

local remote = {}
for obj in s3:get_paginator("list_objects_v2"):paginate{Bucket = bucket, Prefix = prefix}:search("Contents[]") do
  remote[obj.Key] = obj
end

local uploaded, bytes, unchanged, deleted = 0, 0, 0, 0
local seen = {}
for _, file in ipairs(aws.fs.walk(dir)) do
  local key = prefix .. file.rel
  seen[key] = true
  local obj = remote[key]
  local same = obj and obj.Size == file.size
  if same and obj.ETag:match('^"[0-9a-f]+%-?%d*"$') then
    same = aws.checksum.etag(file.path, chunk) == obj.ETag
  end
  if same then
    unchanged = unchanged + 1
  else
    if not dry_run then
      s3:upload_file(file.path, bucket, key, {Config = {multipart_threshold = chunk, multipart_chunksize = chunk}})
    end
    print(("%s %s -> s3://%s/%s"):format(dry_run and "would upload" or "uploaded", file.rel, bucket, key))
    uploaded, bytes = uploaded + 1, bytes + file.size
  end
end

if delete then
  local batch = {}
  local function flush()
    if #batch > 0 and not dry_run then
      s3:delete_objects{Bucket = bucket, Delete = {Objects = batch, Quiet = true}}
    end
    batch = {}
  end
  for key in pairs(remote) do
    if not seen[key] then
      print(("%s s3://%s/%s"):format(dry_run and "would delete" or "deleted", bucket, key))
      batch[#batch + 1] = {Key = key}
      deleted = deleted + 1
      if #batch == 1000 then flush() end
    end
  end
  flush()
end

print(("%s %d files (%d bytes), %d unchanged%s"):format(dry_run and "would upload" or "uploaded",
  uploaded, bytes, unchanged, delete and (", " .. deleted .. (dry_run and " to delete" or " deleted")) or ""))
