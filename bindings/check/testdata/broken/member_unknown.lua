local s3 = aws.client("s3")
s3:list_objects_v2{Bucket = "b", Prefx = "logs/"}
