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

-- Binary values (B and BS) are base64 in DynamoDB JSON.
local function encode_binary(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do
    if k == "B" then out[k] = aws.base64.encode(x)
    elseif k == "BS" then
      out[k] = {}
      for n, b in ipairs(x) do out[k][n] = aws.base64.encode(b) end
    else out[k] = encode_binary(x) end
  end
  return out
end

local ddb = aws.client("dynamodb")
local out = assert(io.open(path, "w"))
local items, pages = 0, 0
for page in ddb:get_paginator("scan"):paginate{TableName = tablename, PaginationConfig = {PageSize = page_size}} do
  pages = pages + 1
  for _, item in ipairs(page.Items) do
    out:write(aws.json.encode({Item = encode_binary(item)}), "\n")
    items = items + 1
  end
end
out:close()
print(("exported %d items of %s in %d pages to %s"):format(items, tablename, pages, path))
