local ec2 = aws.client("ec2")
ec2:describe_instances{InstanceIds = "i-1"}
