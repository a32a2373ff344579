local s3 = aws.client("s3")
local r = s3:list_object_v2{Bucket = "b"}
