local b = aws.resource("s3"):Bucket("b")
print(b.creation_date)
b:delete()
