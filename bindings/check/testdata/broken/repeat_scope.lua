local logs = aws.client("logs")
repeat
  local r = logs:describe_log_group{}
until r
