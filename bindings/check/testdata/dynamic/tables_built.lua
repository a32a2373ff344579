local s3 = aws.client("s3")
local args = {Bucket = "b"}
args.Key = "k"
s3:get_object(args)
local extra = {}
s3:list_objects_v2{Bucket = "b", [extra.key or "Prefix"] = "x"}
s3:put_object{Bucket = "b", Key = "k", Body = io.read("a"), ContentLength = #"x"}
s3:delete_objects{Bucket = "b", Delete = {Objects = {table.unpack({})}}}
