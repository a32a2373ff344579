local s3 = aws.client("s3")
local p = s3:get_paginator("list_object")
