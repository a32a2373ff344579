local s3 = aws.resource("s3")
local o = s3:Object("b", "k")
print(o.content_lenght)
