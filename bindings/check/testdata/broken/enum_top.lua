local s3 = aws.client("s3")
s3:put_object{Bucket = "b", Key = "k", StorageClass = "GLACIER_INSTANT"}
