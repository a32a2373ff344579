local sqs = aws.client("sqs")
sqs:send_message_batch{QueueUrl = "u", Entries = {
  {Id = "1", MessageBody = "a"},
  {Id = "2"},
}}
