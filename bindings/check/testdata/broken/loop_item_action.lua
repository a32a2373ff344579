local sqs = aws.resource("sqs")
for q in sqs.queues:all() do
  q:send_mesage{MessageBody = "x"}
end
