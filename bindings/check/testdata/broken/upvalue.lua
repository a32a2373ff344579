local iam = aws.client("iam")
local function keys(user)
  return iam:list_access_key{UserName = user}
end
print(keys("u"))
