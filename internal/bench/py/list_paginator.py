"""Every object of a bucket through the list_objects_v2 paginator.

    python3 list_paginator.py BUCKET N
"""
import sys

import boto3
from botocore.config import Config

bucket, n = sys.argv[1], int(sys.argv[2])
s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}))
print("ready", flush=True)
seen = 0
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
    for obj in page.get("Contents", []):
        if obj["Key"]:
            seen += 1
assert seen == n, f"listed {seen} objects, want {n}"
print("done", flush=True)
