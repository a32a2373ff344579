local ddb = aws.client("dynamodb", {region_name = "eu-west-1", endpoint = "http://localhost:8000"})
print(ddb)
