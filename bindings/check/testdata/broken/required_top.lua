local s3 = aws.client("s3")
s3:get_object{Bucket = "b"}
