local s3 = aws.client("s3")
local p = s3:get_paginator("list_objects_v2")
for page in p:paginate{Bucket = "b", Prefix = "x", Delimeter = "/"} do print(page) end
