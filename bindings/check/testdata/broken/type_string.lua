local sqs = aws.client("sqs")
sqs:send_message{QueueUrl = "u", MessageBody = 42}
