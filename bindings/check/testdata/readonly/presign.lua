local s3 = aws.client("s3")
print(s3:generate_presigned_url("get_object", {Params = {Bucket = "b", Key = "k"}}))
print(s3:generate_presigned_url("put_object", {Params = {Bucket = "b", Key = "k"}}))
