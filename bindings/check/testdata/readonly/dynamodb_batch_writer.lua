local t = aws.resource("dynamodb"):Table("t")
print(t.name)
t:batch_writer(function(b) b:put_item{Item = {pk = "a"}} end)
