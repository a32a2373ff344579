local s3 = aws.client("s3")
local url = s3:generate_presigned_url("put_object", {Params = {Bucket = "b", Key = "k", ContentType = 5}})
print(url)
