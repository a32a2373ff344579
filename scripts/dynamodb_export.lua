#!/usr/bin/env awslua
-- Exports a DynamoDB table to a file of JSON lines, one item a line, in
-- DynamoDB JSON ({"pk": {"S": "a"}}), the format of DynamoDB's own exports:
-- nothing is lost, numbers keep every digit, binary is base64.
--
--   awslua scripts/dynamodb_export.lua TABLE OUT.jsonl [--page-size N]

local usage = "usage: dynamodb_export.lua TABLE OUT.jsonl [--page-size N]"
local tablename, path = arg[1], arg[2]
local page_size = 1000
if arg[3] == "--page-size" then page_size = tonumber(arg[4]) end
if not tablename or not path or not page_size then
  io.stderr:write(usage, "\n")
  os.exit(2)
end

-- DynamoDB JSON of one attribute value. Binary values (B and BS) are base64.
-- Only the type tags of values are looked at, never attribute names (an
-- attribute may be called "B"), and L and M are written by hand: a Lua table
-- cannot tell an empty list from an empty map, and aws.json writes both as
-- {}, which would turn an empty L into a map.
local item_json
local function value_json(av)
  if av.L then
    local parts = {}
    for n, v in ipairs(av.L) do parts[n] = value_json(v) end
    return '{"L":[' .. table.concat(parts, ",") .. "]}"
  elseif av.M then
    return '{"M":' .. item_json(av.M) .. "}"
  elseif av.B then
    return aws.json.encode({B = aws.base64.encode(av.B)})
  elseif av.BS then
    local bs = {}
    for n, b in ipairs(av.BS) do bs[n] = aws.base64.encode(b) end
    return aws.json.encode({BS = bs})
  end
  return aws.json.encode(av)
end

-- An item (or an M): attribute names to values, names sorted as aws.json
-- sorts keys.
function item_json(m)
  local names = {}
  for name in pairs(m) do names[#names + 1] = name end
  table.sort(names)
  local parts = {}
  for n, name in ipairs(names) do parts[n] = aws.json.encode(name) .. ":" .. value_json(m[name]) end
  return "{" .. table.concat(parts, ",") .. "}"
end

local ddb = aws.client("dynamodb")
local out = assert(io.open(path, "w"))
local items, pages = 0, 0
for page in ddb:get_paginator("scan"):paginate{TableName = tablename, PaginationConfig = {PageSize = page_size}} do
  pages = pages + 1
  for _, item in ipairs(page.Items or {}) do
    out:write('{"Item":', item_json(item), "}\n")
    items = items + 1
  end
end
out:close()
print(("exported %d items of %s in %d pages to %s"):format(items, tablename, pages, path))
