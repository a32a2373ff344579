-- Every object of a bucket through the list_objects_v2 paginator.
--   awslua list_paginator.lua BUCKET N
local bucket, n = ...
n = tonumber(n)
local s3 = aws.client("s3", {config = {s3 = {addressing_style = "path"}}})
print("ready")
local seen = 0
for page in s3:get_paginator("list_objects_v2"):paginate{Bucket = bucket} do
  for _, obj in ipairs(page.Contents or {}) do
    if obj.Key then seen = seen + 1 end
  end
end
assert(seen == n, "listed " .. seen .. " objects, want " .. n)
print("done")
