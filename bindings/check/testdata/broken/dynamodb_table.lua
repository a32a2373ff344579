local t = aws.resource("dynamodb"):Table("users")
t:put_item{Item = {pk = "u1"}, ReturnValue = "ALL_OLD"}
