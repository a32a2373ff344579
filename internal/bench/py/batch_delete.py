"""Deletes every object of a bucket through the collection's batch action:
one DeleteObjects a page.

    python3 batch_delete.py BUCKET N
"""
import sys

import boto3
from botocore.config import Config

bucket, n = sys.argv[1], int(sys.argv[2])
b = boto3.resource("s3", config=Config(s3={"addressing_style": "path"})).Bucket(bucket)
print("ready", flush=True)
deleted = sum(len(resp.get("Deleted", [])) for resp in b.objects.all().delete())
assert deleted == n, f"deleted {deleted} objects, want {n}"
print("done", flush=True)
