"""Write sdk/model/testdata's record of what boto3 itself says, so that the
Go tests can check SnakeName, Protocol and the bundle's contents against
boto3 without needing Python.

Run by `go generate ./sdk/model` (from sdk/model); writes, gzipped with a
fixed mtime so the bytes only change when botocore does:

  testdata/snake_names.txt.gz  "ApiName snake_name" for every operation,
                               paginator and waiter name of every service
  testdata/services.txt        one line per service: name, the protocol
                               boto3 resolves, and the counts of
                               operations, shapes, paginators and waiters
"""
import gzip
import os

import boto3
import botocore
import botocore.session
from botocore import xform_name

here = os.getcwd()
out = os.path.join(here, "testdata")
os.makedirs(out, exist_ok=True)

session = botocore.session.get_session()
loader = session.get_component("data_loader")
names = boto3.session.Session().get_available_services()

pairs = set()
lines = ["# botocore %s: name protocol operations shapes paginators waiters" % botocore.__version__]
for name in sorted(names):
    model = session.get_service_model(name)
    api = model.api_version
    try:
        pag = loader.load_service_model(name, "paginators-1", api)["pagination"]
    except botocore.exceptions.DataNotFoundError:
        pag = {}
    try:
        wait = loader.load_service_model(name, "waiters-2", api)["waiters"]
    except botocore.exceptions.DataNotFoundError:
        wait = {}
    for op in model.operation_names:
        pairs.add((op, xform_name(op)))
    for n in list(pag) + list(wait):
        pairs.add((n, xform_name(n)))
    lines.append("%s %s %d %d %d %d" % (
        name, model.resolved_protocol, len(model.operation_names),
        len(model.shape_names), len(pag), len(wait)))

text = "".join("%s %s\n" % p for p in sorted(pairs)).encode()
with open(os.path.join(out, "snake_names.txt.gz"), "wb") as f:
    f.write(gzip.compress(text, compresslevel=9, mtime=0))
with open(os.path.join(out, "services.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
print("snake_testdata.py: %d services, %d names" % (len(names), len(pairs)))
