local b = aws.resource("s3"):Bucket("awslua-check-ro")
b.objects:filter{Prefix = "tmp/"}:delete()
