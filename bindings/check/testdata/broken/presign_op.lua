local s3 = aws.client("s3")
print(s3:generate_presigned_url("get_objekt", {Params = {Bucket = "b", Key = "k"}}))
