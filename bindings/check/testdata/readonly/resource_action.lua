local b = aws.resource("s3"):Bucket("awslua-check-ro")
print(b.name)
b:delete()
