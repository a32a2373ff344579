aws.client("s3"):list_object_v2{Bucket = "b"}
