local ec2 = aws.resource("ec2")
local i = ec2:Instance("i-1")
print(i.vpc.cidr_blok)
