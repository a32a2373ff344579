-- Uploads a file with upload_file and the default transfer configuration.
--   awslua upload.lua BUCKET KEY FILE
local bucket, key, file = ...
local s3 = aws.client("s3", {config = {s3 = {addressing_style = "path"}}})
print("ready")
s3:upload_file(file, bucket, key)
print("done")
