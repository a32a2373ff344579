-- Downloads an object with download_file and the default transfer
-- configuration.
--   awslua download.lua BUCKET KEY FILE
local bucket, key, file = ...
local s3 = aws.client("s3", {config = {s3 = {addressing_style = "path"}}})
print("ready")
s3:download_file(bucket, key, file)
print("done")
