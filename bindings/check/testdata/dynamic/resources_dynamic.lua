local s3 = aws.resource("s3")
local b = s3:Bucket(os.getenv("B"))
local attr = "creation_date"
print(b[attr])
for _, o in ipairs(b.objects:all():pages()() or {}) do print(o.whatever) end
local ddb = aws.resource("dynamodb")
local t = ddb:Table("x")
t:put_item{Item = {pk = "a", nested = {deep = {1, 2, 3}}, n = 1.5}}
t:query{KeyConditionExpression = aws.dynamodb.Key("pk"):eq("a")}
