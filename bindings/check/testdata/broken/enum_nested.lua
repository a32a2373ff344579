local ec2 = aws.client("ec2")
ec2:describe_instances{Filters = {{Name = "tag:env", Values = {"prod"}}}, MaxResults = 5}
ec2:create_tags{Resources = {"i-1"}, Tags = {{Key = "a", Value = "b"}}}
ec2:describe_images{Owners = {"self"}, IncludeDeprecated = true, ImageIds = {"ami-1"}}
local cw = aws.client("cloudwatch")
cw:put_metric_data{Namespace = "n", MetricData = {{MetricName = "m", Value = 1, Unit = "Secs"}}}
