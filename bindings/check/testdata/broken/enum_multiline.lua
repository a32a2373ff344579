local ec2 = aws.client("ec2")
ec2:run_instances{
  ImageId = "ami-1", MinCount = 1, MaxCount = 1,
  TagSpecifications = {
    {ResourceType = "instance", Tags = {{Key = "a", Value = "b"}}},
    {ResourceType = "instanse", Tags = {}},
  },
}
