package main

// services lists the bundled services: boto3's name, then the aws-sdk-go-v2
// package under github.com/aws/aws-sdk-go-v2/service/. Adding a service is
// one line here, then `go get` of its module and `go generate ./sdk/...`.
var services = []struct{ Name, Pkg string }{
	{"acm", "acm"},
	{"athena", "athena"},
	{"autoscaling", "autoscaling"},
	{"cloudformation", "cloudformation"},
	{"cloudfront", "cloudfront"},
	{"cloudwatch", "cloudwatch"},
	{"dynamodb", "dynamodb"},
	{"ec2", "ec2"},
	{"ecr", "ecr"},
	{"ecs", "ecs"},
	{"elbv2", "elasticloadbalancingv2"},
	{"events", "eventbridge"},
	{"glacier", "glacier"},
	{"iam", "iam"},
	{"kinesis", "kinesis"},
	{"kms", "kms"},
	{"lambda", "lambda"},
	{"logs", "cloudwatchlogs"},
	{"organizations", "organizations"},
	{"rds", "rds"},
	{"route53", "route53"},
	{"s3", "s3"},
	{"secretsmanager", "secretsmanager"},
	{"sns", "sns"},
	{"sqs", "sqs"},
	{"ssm", "ssm"},
	{"stepfunctions", "sfn"},
	{"sts", "sts"},
}
