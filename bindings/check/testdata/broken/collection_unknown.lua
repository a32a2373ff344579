local s3 = aws.resource("s3")
local b = s3:Bucket("b")
for o in b.objcts:all() do print(o) end
