local b = aws.resource("s3"):Bucket("b")
b.objects:filter{Prefix = "tmp/"}:delete()
