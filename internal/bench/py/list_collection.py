"""Every object of a bucket through the resource collection bucket.objects.

    python3 list_collection.py BUCKET N
"""
import sys

import boto3
from botocore.config import Config

bucket, n = sys.argv[1], int(sys.argv[2])
b = boto3.resource("s3", config=Config(s3={"addressing_style": "path"})).Bucket(bucket)
print("ready", flush=True)
seen = 0
for obj in b.objects.all():
    if obj.key:
        seen += 1
assert seen == n, f"listed {seen} objects, want {n}"
print("done", flush=True)
