#!/usr/bin/env awslua
-- Stops the running EC2 instances that carry a tag, and waits until they
-- have stopped.
--
--   awslua scripts/ec2_stop_by_tag.lua KEY=VALUE [--dry-run] [--no-wait]

local usage = "usage: ec2_stop_by_tag.lua KEY=VALUE [--dry-run] [--no-wait]"
local key, value = (arg[1] or ""):match("^([^=]+)=(.*)$")
local dry_run, wait = false, true
for i = 2, #arg do
  if arg[i] == "--dry-run" then dry_run = true
  elseif arg[i] == "--no-wait" then wait = false
  else key = nil end
end
if not key then
  io.stderr:write(usage, "\n")
  os.exit(2)
end

local ec2 = aws.client("ec2")
local ids = {}
local it = ec2:get_paginator("describe_instances"):paginate{Filters = {
  {Name = "tag:" .. key, Values = {value}},
  {Name = "instance-state-name", Values = {"running"}},
}}
for id in it:search("Reservations[].Instances[].InstanceId") do
  ids[#ids + 1] = id
end

if #ids == 0 then
  print(("no running instances tagged %s=%s"):format(key, value))
  return
end
if dry_run then
  print(("would stop %d instances tagged %s=%s: %s"):format(#ids, key, value, table.concat(ids, " ")))
  return
end
ec2:stop_instances{InstanceIds = ids}
if wait then
  ec2:get_waiter("instance_stopped"):wait{InstanceIds = ids, WaiterConfig = {Delay = 5, MaxAttempts = 60}}
end
print(("stopped %d instances tagged %s=%s: %s"):format(#ids, key, value, table.concat(ids, " ")))
