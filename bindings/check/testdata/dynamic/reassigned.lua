local c = aws.client("s3")
if os.getenv("SQS") then c = aws.client("sqs") end
c:send_message{QueueUrl = "u", MessageBody = "x"}
