local sess = aws.Session{region_name = "us-east-1"}
local s3 = sess:resource("s3")
s3:create_bucket{Bucket = "awslua-check-corpus"}
for b in s3.buckets:all() do
  print(b.name, b.creation_dat)
end
