local s3 = aws.resource("s3")
local b = s3:Buckett("b")
