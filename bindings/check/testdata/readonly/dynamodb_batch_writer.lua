local t = aws.resource("dynamodb"):Table("t")
print(t:get_item{Key = {pk = "a"}}.Item)
t:batch_writer(function(b) b:put_item{Item = {pk = "a"}} end)
