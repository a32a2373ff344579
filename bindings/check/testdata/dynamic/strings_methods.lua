local s = ("abc"):upper()
local u = s:lower()
print(string.format("%s", u):len())
