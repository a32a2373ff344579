local s3 = aws.client("s3")
print(s3:list_buckets().Buckets)
s3:upload_file("/dev/null", "awslua-check-ro", "k2")
