-- Deletes every object of a bucket through the collection's batch action:
-- one DeleteObjects a page.
--   awslua batch_delete.lua BUCKET N
local bucket, n = ...
n = tonumber(n)
local b = aws.resource("s3", {config = {s3 = {addressing_style = "path"}}}):Bucket(bucket)
print("ready")
local deleted = 0
for _, resp in ipairs(b.objects:all():delete()) do
  deleted = deleted + #(resp.Deleted or {})
end
assert(deleted == n, "deleted " .. deleted .. " objects, want " .. n)
print("done")
