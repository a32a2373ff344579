-- The first call of a service on a session that has called another
-- service (STS), then the same call again.
--   awslua first_call.lua SERVICE OPERATION
-- prints "first SECONDS again SECONDS": os.clock() around making the
-- client and calling, then around the second call alone.
local service, operation = ...
aws.client("sts"):get_caller_identity()
local t0 = os.clock()
local client = aws.client(service)
client[operation](client)
local t1 = os.clock()
client[operation](client)
local t2 = os.clock()
print(string.format("first %.6f again %.6f", t1 - t0, t2 - t1))
