package sdk

import "testing"

func TestValidateBucketName(t *testing.T) {
	s3, err := engineService("s3")
	if err != nil {
		t.Fatal(err)
	}
	op, _ := s3.Operation("GetObject")
	for bucket, ok := range map[string]bool{
		"my.bucket-1_x": true,
		"arn:aws:s3:us-west-2:123456789012:accesspoint/ap-1":                                     true,
		"arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01ac5d28a6a232904/accesspoint/ap": true,
		"":               false,
		"a/b":            false,
		"arn:aws:s3:::b": false,
	} {
		err := validateBucketName(&call{op: op, params: map[string]any{"Bucket": bucket}})
		if (err == nil) != ok {
			t.Errorf("%q: got %v, want ok=%v", bucket, err, ok)
		}
	}
}
