local function drain(client, url)
  client:receive_message{QueueUrl = url}
  client:whatever()
end
drain(aws.client("sqs"), "u")
