local ec2 = aws.client("ec2")
local function stop(ids)
  ec2:stop_instance{InstanceIds = ids}
end
stop({"i-1"})
