local sess = aws.Session{region_name = "eu-west-1"}
local s3 = sess:resource("s3")
for b in s3.buckets:all() do
  print(b.name, b.creation_dat)
end
