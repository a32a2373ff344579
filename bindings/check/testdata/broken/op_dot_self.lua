local c = aws.client("s3")
print(c.list_objects_v2(c, {Bucket = "b", Prefx = "x"}))
