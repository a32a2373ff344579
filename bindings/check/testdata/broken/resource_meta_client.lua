local b = aws.resource("s3"):Bucket("b")
b.meta.client:list_objects_v2{Bucket = "b", MaxKey = 1}
