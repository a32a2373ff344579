local s3 = aws.client("s3")
s3:download_file("b", "k", "/tmp/k")
s3:upload_file("/tmp/k", "b", "k2")
