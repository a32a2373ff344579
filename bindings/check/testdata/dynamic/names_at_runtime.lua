local name = os.getenv("SERVICE") or "s3"
local c = aws.client(name)
c:anything_goes{Whatever = 1}
local op = "list_" .. "buckets"
local s3 = aws.client("s3")
s3[op](s3)
print(s3:get_paginator(op))
