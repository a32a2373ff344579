for q in aws.resource("sqs").queues:all() do
  q:purge()
end
