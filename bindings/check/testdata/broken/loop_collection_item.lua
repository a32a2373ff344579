local s3 = aws.resource("s3")
local b = s3:Bucket("b")
for obj in b.objects:filter{Prefix = "logs/"}:limit(10) do
  print(obj.key, obj.sise)
end
