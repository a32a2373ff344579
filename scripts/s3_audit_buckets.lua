#!/usr/bin/env awslua
-- Reports buckets without default encryption, or open to the public through
-- their ACL, their policy, or a missing public access block.
--
--   awslua scripts/s3_audit_buckets.lua [--json]
--
-- Exits 1 when any bucket has a finding, so that it can gate a pipeline.

local as_json = arg[1] == "--json"
local s3 = aws.client("s3")
local public_groups = {
  ["http://acs.amazonaws.com/groups/global/AllUsers"] = "everyone",
  ["http://acs.amazonaws.com/groups/global/AuthenticatedUsers"] = "any AWS account",
}

-- call returns the response, or nil when the error is one of the codes
-- that mean "not configured".
local function call(op, params, ...)
  local ok, r = pcall(s3[op], s3, params)
  if ok then return r end
  for _, code in ipairs({...}) do
    if r.code == code then return nil end
  end
  error(r, 0)
end

local function audit(name)
  local findings = {}
  local enc = call("get_bucket_encryption", {Bucket = name}, "ServerSideEncryptionConfigurationNotFoundError")
  if not enc then
    findings[#findings + 1] = "no default encryption"
  end
  local block = call("get_public_access_block", {Bucket = name}, "NoSuchPublicAccessBlockConfiguration")
  local cfg = block and block.PublicAccessBlockConfiguration or {}
  if not (cfg.BlockPublicAcls and cfg.IgnorePublicAcls and cfg.BlockPublicPolicy and cfg.RestrictPublicBuckets) then
    findings[#findings + 1] = "public access not fully blocked"
  end
  for _, grant in ipairs(call("get_bucket_acl", {Bucket = name}).Grants or {}) do
    local who = grant.Grantee and public_groups[grant.Grantee.URI or ""]
    if who then
      findings[#findings + 1] = ("ACL grants %s to %s"):format(grant.Permission, who)
    end
  end
  local status = call("get_bucket_policy_status", {Bucket = name}, "NoSuchBucketPolicy")
  if status and status.PolicyStatus and status.PolicyStatus.IsPublic then
    findings[#findings + 1] = "bucket policy is public"
  end
  return findings
end

local checked, flagged = 0, 0
for _, b in ipairs(s3:list_buckets{}.Buckets or {}) do
  local ok, findings = pcall(audit, b.Name)
  if not ok then
    -- A bucket deleted since list_buckets has nothing left to audit.
    if type(findings) ~= "table" or findings.code ~= "NoSuchBucket" then error(findings, 0) end
  else
    checked = checked + 1
    if #findings > 0 then flagged = flagged + 1 end
    if as_json then
      -- aws.json writes an empty table as {}: spell out the empty list.
      print(('{"bucket":%s,"findings":%s}'):format(aws.json.encode(b.Name),
        #findings > 0 and aws.json.encode(findings) or "[]"))
    elseif #findings > 0 then
      print(("%s: %s"):format(b.Name, table.concat(findings, "; ")))
    end
  end
end
io.stderr:write(("%d buckets checked, %d with findings\n"):format(checked, flagged))
if flagged > 0 then os.exit(1) end
