local ec2 = aws.resource("ec2")
for vpc in ec2.vpcs:all() do
  for subnet in vpc.subnets:all() do
    print(subnet.cidr_blok)
  end
end
