local sqs = aws.client("sqs")
sqs:get_queue_url{QueueName = {"q"}}
