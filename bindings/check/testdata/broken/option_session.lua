local sess = aws.Session{profile = "dev", region_name = "eu-west-1"}
print(sess.region_name)
