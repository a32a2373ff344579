local s3 = aws.resource("s3")
local b = s3:Bucket("awslua-check-corpus")
b:create()
b:put_object{Key = "logs/a.txt", Body = "a"}
for obj in b.objects:filter{Prefix = "logs/"}:limit(10) do
  print(obj.key, obj.sise)
end
