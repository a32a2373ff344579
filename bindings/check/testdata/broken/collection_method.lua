local s3 = aws.resource("s3")
for b in s3.buckets:fillter{} do print(b) end
