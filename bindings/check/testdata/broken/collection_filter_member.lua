local s3 = aws.resource("s3")
for o in s3:Bucket("b").objects:filter{Prefx = "a"} do print(o) end
