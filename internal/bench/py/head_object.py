"""N head_object calls on one key, through a client.

    python3 head_object.py BUCKET KEY N
"""
import sys

import boto3
from botocore.config import Config

bucket, key, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}))
print("ready", flush=True)
for _ in range(n):
    s3.head_object(Bucket=bucket, Key=key)
print("done", flush=True)
