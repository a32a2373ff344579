s3 = nil
local c = aws.client("s3")
for page in c:get_paginator("get_object"):paginate{Bucket = "b", Key = "k"} do print(page) end
