package model_test

import (
	"errors"
	"fmt"

	"github.com/awslua/awslua/sdk/model"
)

func ExampleLoad() {
	s3, err := model.Load("s3")
	if err != nil {
		panic(err)
	}
	op, _ := s3.Operation("ListObjectsV2")
	in := s3.Shape(op.Input.Shape)
	fmt.Println(s3.Protocol(), model.SnakeName(op.Name), op.HTTP.Method, op.HTTP.RequestURI)
	fmt.Println(in.MemberOrder[:3])
	fmt.Println(s3.Paginators["ListObjectsV2"].OutputToken)
	// Output:
	// rest-xml list_objects_v2 GET /{Bucket}?list-type=2
	// [Bucket Delimiter EncodingType]
	// [NextContinuationToken]
}

func ExampleLoad_unknown() {
	_, err := model.Load("cognito")
	fmt.Println(errors.Is(err, model.ErrUnknownService))
	fmt.Println(err)
	// Output:
	// true
	// there is no AWS service named "cognito"; did you mean cognito-idp, cognito-sync or cognito-identity?
}

func ExampleSnakeName() {
	for _, api := range []string{"DescribeDBInstances", "ListWebACLs", "GetAPIKey", "CreateCachediSCSIVolume"} {
		fmt.Println(model.SnakeName(api))
	}
	// Output:
	// describe_db_instances
	// list_web_acls
	// get_api_key
	// create_cached_iscsi_volume
}
