local sqs = aws.client("sqs")
sqs:send_message()
