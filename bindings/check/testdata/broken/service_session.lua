local sess = aws.Session{region_name = "eu-west-1"}
local c = sess:client("dynamodbb")
