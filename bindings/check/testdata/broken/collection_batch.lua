local s3 = aws.resource("s3")
s3:Bucket("b").objects:all():delet()
