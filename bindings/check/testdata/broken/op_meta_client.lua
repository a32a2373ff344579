local s3 = aws.resource("s3")
s3.meta.client:head_bukcet{Bucket = "b"}
