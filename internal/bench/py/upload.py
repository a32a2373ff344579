"""Uploads a file with upload_file and the default TransferConfig.

    python3 upload.py BUCKET KEY FILE
"""
import sys

import boto3
from botocore.config import Config

bucket, key, path = sys.argv[1:4]
s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}))
print("ready", flush=True)
s3.upload_file(path, bucket, key)
print("done", flush=True)
