local s3 = aws.resource("s3")
local o = s3:Bucket("b"):Object("k")
o:put{Body = "x", ContentTyp = "text/plain"}
