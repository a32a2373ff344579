local s3 = aws.client("s3")
s3:get_waiter("bucket_exist"):wait{Bucket = "b"}
