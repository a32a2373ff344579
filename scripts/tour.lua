#!/usr/bin/env awslua
-- A tour of awslua: sessions, a client call, a paginator, an error handled
-- with pcall, and a presigned URL. Run it without AWS:
--
--   awslua --local scripts/tour.lua
--
-- or against your account (it creates and deletes one bucket):
--
--   awslua scripts/tour.lua my-tour-bucket-name

local bucket = arg[1] or "awslua-tour"

-- A session holds credentials and region, from the standard AWS chain.
local session = aws.Session{}
print(("session: region %s, profile %s"):format(session.region_name, session.profile_name))
print(("%d services bundled, among them: %s"):format(
  #session:get_available_services(), table.concat({"s3", "dynamodb", "ec2", "iam"}, ", ")))

-- A client calls any operation by boto3's name, with the API's member names.
local s3 = session:client("s3")
s3:create_bucket{Bucket = bucket}
s3:get_waiter("bucket_exists"):wait{Bucket = bucket, WaiterConfig = {Delay = 1, MaxAttempts = 10}}
for i = 1, 25 do
  s3:put_object{Bucket = bucket, Key = ("logs/2026-11-%02d.txt"):format(i), Body = ("day %d\n"):format(i)}
end
print(("put 25 objects into s3://%s/logs/"):format(bucket))

-- A paginator is an iterator: each page is one request.
local pages, keys = 0, 0
for page in s3:get_paginator("list_objects_v2"):paginate{Bucket = bucket, Prefix = "logs/",
    PaginationConfig = {PageSize = 10}} do
  pages = pages + 1
  keys = keys + #page.Contents
end
print(("listed %d keys in %d pages"):format(keys, pages))

-- search() runs a JMESPath expression over every page.
local it = s3:get_paginator("list_objects_v2"):paginate{Bucket = bucket}
local newest
for key in it:search("Contents[?Size > `6`].Key") do newest = key end
print("last key whose body is longer than 6 bytes: " .. newest)

-- Responses are plain tables; aws.inspect prints them.
local head = s3:head_object{Bucket = bucket, Key = "logs/2026-11-01.txt"}
print("head_object: " .. aws.inspect({ContentLength = head.ContentLength, ETag = head.ETag}))

-- Errors are values: pcall catches them, err.code and err:is() tell them apart.
local ok, err = pcall(s3.get_object, s3, {Bucket = bucket, Key = "no/such/key"})
assert(not ok)
if err:is(s3.exceptions.NoSuchKey) then
  print(("expected error: %s (HTTP %d)"):format(err.code, err.status_code))
end

-- Bad input fails before anything is sent, naming the member.
err = select(2, pcall(s3.list_objects_v2, s3, {Bucket = bucket, MaxKeys = "ten"}))
print("validation: " .. err.message:match("[^\n]+\n([^\n]+)"))

-- A presigned URL lets anyone GET the object for a while, without keys.
local url = s3:generate_presigned_url("get_object", {Params = {Bucket = bucket, Key = "logs/2026-11-01.txt"}, ExpiresIn = 300})
print("presigned URL: " .. url:sub(1, 60) .. "...")

-- Clean up: delete everything under the bucket, a page at a time.
local deleted = 0
for page in s3:get_paginator("list_objects_v2"):paginate{Bucket = bucket} do
  local objects = {}
  for _, o in ipairs(page.Contents or {}) do objects[#objects + 1] = {Key = o.Key} end
  if #objects > 0 then
    s3:delete_objects{Bucket = bucket, Delete = {Objects = objects}}
    deleted = deleted + #objects
  end
end
s3:delete_bucket{Bucket = bucket}
print(("deleted %d objects and the bucket; tour done"):format(deleted))
