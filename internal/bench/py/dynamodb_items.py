"""N put_item, then N get_item, through the DynamoDB Table resource.

    python3 dynamodb_items.py TABLE N
"""
import sys

import boto3

name, n = sys.argv[1], int(sys.argv[2])
t = boto3.resource("dynamodb").Table(name)
print("ready", flush=True)
for i in range(n):
    t.put_item(Item={"pk": f"item-{i:06d}", "n": i, "name": "benchmark item",
                     "tags": {"a", "b"}, "attrs": {"ok": True}})
for i in range(n):
    item = t.get_item(Key={"pk": f"item-{i:06d}"})["Item"]
    assert item["n"] == i, f"item {i} came back wrong"
print("done", flush=True)
