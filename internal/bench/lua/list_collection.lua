-- Every object of a bucket through the resource collection bucket.objects.
--   awslua list_collection.lua BUCKET N
local bucket, n = ...
n = tonumber(n)
local b = aws.resource("s3", {config = {s3 = {addressing_style = "path"}}}):Bucket(bucket)
print("ready")
local seen = 0
for obj in b.objects:all() do
  if obj.key then seen = seen + 1 end
end
assert(seen == n, "listed " .. seen .. " objects, want " .. n)
print("done")
