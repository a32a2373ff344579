local s3 = aws.client("s3")
local function get(...)
  return s3:get_object{...}
end
local function list(t)
  return s3:list_objects_v2(t)
end
print(get, list)
