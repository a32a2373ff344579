"""Downloads an object with download_file and the default TransferConfig.

    python3 download.py BUCKET KEY FILE
"""
import sys

import boto3
from botocore.config import Config

bucket, key, path = sys.argv[1:4]
s3 = boto3.client("s3", config=Config(s3={"addressing_style": "path"}))
print("ready", flush=True)
s3.download_file(bucket, key, path)
print("done", flush=True)
