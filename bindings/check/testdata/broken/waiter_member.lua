local s3 = aws.client("s3")
local w = s3:get_waiter("object_exists")
w:wait{Bucket = "b", WaiterConfig = {Delay = 1}}
