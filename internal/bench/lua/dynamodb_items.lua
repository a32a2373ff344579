-- N put_item, then N get_item, through the DynamoDB Table resource.
--   awslua dynamodb_items.lua TABLE N
local name, n = ...
n = tonumber(n)
local D = aws.dynamodb
local t = aws.resource("dynamodb"):Table(name)
print("ready")
for i = 0, n - 1 do
  t:put_item{Item = {pk = string.format("item-%06d", i), n = i, name = "benchmark item",
    tags = D.set{"a", "b"}, attrs = {ok = true}}}
end
for i = 0, n - 1 do
  local item = t:get_item{Key = {pk = string.format("item-%06d", i)}}.Item
  assert(item and item.n == i, "item " .. i .. " came back wrong")
end
print("done")
