-- N clients of one service, kept alive to the end: the process's peak RSS,
-- less that of N = 0, is what they hold.
--   awslua clients.lua SERVICE N
local service, n = ...
local keep = {aws.client(service)} -- the service's model, loaded for all
for i = 1, tonumber(n) do
  keep[i] = aws.client(service)
end
collectgarbage()
