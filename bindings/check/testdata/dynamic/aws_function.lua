function aws.client(name) return name end
local c = aws.client("custom")
print(c)
