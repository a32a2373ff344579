#!/usr/bin/env awslua
-- Drains an SQS queue into a file of JSON lines, one message a line, and
-- deletes each message once it is written.
--
--   awslua scripts/sqs_drain.lua QUEUE OUT.jsonl [--max N] [--keep]
--
-- QUEUE is a queue URL or name. --keep writes the messages without deleting
-- them (they become visible again after the visibility timeout).

local usage = "usage: sqs_drain.lua QUEUE OUT.jsonl [--max N] [--keep]"
local queue, path = arg[1], arg[2]
local max, keep = math.huge, false
local i = 3
while arg[i] do
  if arg[i] == "--max" then max = tonumber(arg[i + 1]); i = i + 2
  elseif arg[i] == "--keep" then keep = true; i = i + 1
  else max = nil; break end
end
if not queue or not path or not max then
  io.stderr:write(usage, "\n")
  os.exit(2)
end

local sqs = aws.client("sqs")
local url = queue
if not queue:match("^https?://") then
  url = sqs:get_queue_url{QueueName = queue}.QueueUrl
end

local out = assert(io.open(path, "w"))
local written = 0
while written < max do
  local r = sqs:receive_message{QueueUrl = url, MaxNumberOfMessages = math.min(10, max - written),
    WaitTimeSeconds = 1, MessageAttributeNames = {"All"}, MessageSystemAttributeNames = {"All"}}
  local messages = r.Messages or {}
  if #messages == 0 then break end
  local entries = {}
  for n, m in ipairs(messages) do
    out:write(aws.json.encode({MessageId = m.MessageId, Body = m.Body, Attributes = m.Attributes,
      MessageAttributes = m.MessageAttributes}), "\n")
    entries[n] = {Id = tostring(n), ReceiptHandle = m.ReceiptHandle}
  end
  out:flush() -- written before deleted: a crash here loses nothing
  if not keep then
    local d = sqs:delete_message_batch{QueueUrl = url, Entries = entries}
    for _, f in ipairs(d.Failed or {}) do
      io.stderr:write(("could not delete message %s: %s\n"):format(f.Id, f.Message or f.Code))
    end
  end
  written = written + #messages
end
out:close()
print(("%s %d messages from %s to %s"):format(keep and "copied" or "drained", written, url, path))
