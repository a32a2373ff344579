-- N head_object calls on one key, through a client.
--   awslua head_object.lua BUCKET KEY N
local bucket, key, n = ...
n = tonumber(n)
local s3 = aws.client("s3", {config = {s3 = {addressing_style = "path"}}})
print("ready")
for _ = 1, n do
  s3:head_object{Bucket = bucket, Key = key}
end
print("done")
