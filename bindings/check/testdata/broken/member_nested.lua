local s3 = aws.client("s3")
s3:delete_objects{Bucket = "b", Delete = {Objects = {{Key = "a"}}, Quite = true}}
