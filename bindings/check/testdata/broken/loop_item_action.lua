local sqs = aws.resource("sqs")
sqs:create_queue{QueueName = "awslua-check-corpus"}
for q in sqs.queues:all() do
  q:send_mesage{MessageBody = "x"}
end
