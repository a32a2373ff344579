local r = aws.resource("sts")
