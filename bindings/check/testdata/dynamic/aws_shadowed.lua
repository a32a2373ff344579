local aws = {client = function() return {} end}
aws.client("not-a-service"):nothing()
