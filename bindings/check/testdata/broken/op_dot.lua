local sqs = aws.client("sqs")
local f = sqs.recieve_message
