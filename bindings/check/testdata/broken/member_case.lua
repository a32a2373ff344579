local sqs = aws.client("sqs")
sqs:send_message{QueueUrl = "u", messageBody = "x", MessageBody = "y"}
