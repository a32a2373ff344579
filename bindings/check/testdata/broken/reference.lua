local ec2 = aws.resource("ec2")
for subnet in ec2.subnets:all() do
  print(subnet.vpc.cidr_blok)
end
