local s3 = aws.client("s4")
