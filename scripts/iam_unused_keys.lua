#!/usr/bin/env awslua
-- Lists IAM access keys that have not been used for N days (or never, and
-- are older than that), and can deactivate them.
--
--   awslua scripts/iam_unused_keys.lua DAYS [--deactivate]

local usage = "usage: iam_unused_keys.lua DAYS [--deactivate]"
local days = tonumber(arg[1])
local deactivate = arg[2] == "--deactivate"
if not days or (arg[2] and not deactivate) then
  io.stderr:write(usage, "\n")
  os.exit(2)
end

local iam = aws.client("iam")
local cutoff = os.time() - days * 86400
local checked, unused = 0, 0
for user in iam:get_paginator("list_users"):paginate{}:search("Users[].UserName") do
  for key in iam:get_paginator("list_access_keys"):paginate{UserName = user}:search("AccessKeyMetadata[]") do
    checked = checked + 1
    local last = iam:get_access_key_last_used{AccessKeyId = key.AccessKeyId}.AccessKeyLastUsed or {}
    local used = last.LastUsedDate
    local idle_since = used or key.CreateDate
    -- Whole seconds, as os.time counts them: with DAYS=0 a key made earlier
    -- in this second is idle "now", not in the future.
    if key.Status == "Active" and math.floor(idle_since:unix()) <= cutoff then
      unused = unused + 1
      print(("%s\t%s\t%s"):format(user, key.AccessKeyId, used and ("last used " .. tostring(used)) or
        ("never used, created " .. tostring(key.CreateDate))))
      if deactivate then
        iam:update_access_key{UserName = user, AccessKeyId = key.AccessKeyId, Status = "Inactive"}
      end
    end
  end
end
io.stderr:write(("%d active keys of %d unused for %g days%s\n"):format(
  unused, checked, days, deactivate and "; deactivated" or ""))
