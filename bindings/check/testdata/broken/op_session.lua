local c = aws.Session{}:client("dynamodb")
c:scan_table{TableName = "t"}
