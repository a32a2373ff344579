local s3 = aws.client("s3")
for page in s3:get_paginator("list_buckets"):paginate{} do print(page) end
s3:put_object{Bucket = "b", Key = "k", Body = "x"}
