clients = {s3 = aws.client("s3")}
clients.s3:no_such_operation()
local t = {}
function t.client() return aws.client("sqs") end
t.client():foo()
