local t = aws.resource("dynamodb"):Table("users")
t:get_itme{Key = {pk = "u1"}}
