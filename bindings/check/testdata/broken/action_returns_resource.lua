local sqs = aws.resource("sqs")
local q = sqs:create_queue{QueueName = "jobs"}
q:send_mesage{MessageBody = "x"}
