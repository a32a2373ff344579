// Command floor is the benchmarks' plain aws-sdk-go-v2 program: the floor
// that awslua and boto3 are measured against, and the seeder that fills
// the servers before the runs. It reads the standard AWS environment
// (credentials, region, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_DYNAMODB),
// as the awslua and boto3 sides do.
//
// A workload subcommand prints "ready" once its client is made and "done"
// when its work is over, so that the harness times the work between the
// two lines the same way for every side:
//
//	floor startup                          list buckets, no markers
//	floor head BUCKET KEY N                N head_object calls
//	floor list BUCKET N                    the ListObjectsV2 paginator
//	floor delete BUCKET N                  list and DeleteObjects a page at a time
//	floor dynamodb TABLE N                 N put_item, then N get_item
//	floor upload BUCKET KEY FILE           transfermanager, default options
//	floor download BUCKET KEY FILE
//
// The seeding subcommands print nothing:
//
//	floor seed-objects BUCKET N            N empty objects object-000000...
//	floor seed-table TABLE                 a table with a string key pk
//	floor seed-file BUCKET KEY FILE        an object holding FILE
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	tm "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: floor SUBCOMMAND ARGS...")
		os.Exit(2)
	}
	if err := run(context.Background(), os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "floor %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// ObjectKey is the key of the i-th seeded object; the Lua and Python
// workloads spell it the same way.
func objectKey(i int) string { return fmt.Sprintf("object-%06d", i) }

func run(ctx context.Context, cmd string, args []string) error {
	want := map[string]int{
		"startup": 0, "head": 3, "list": 2, "delete": 2, "dynamodb": 2, "upload": 3, "download": 3,
		"seed-objects": 2, "seed-table": 1, "seed-file": 3,
	}
	n, ok := want[cmd]
	if !ok {
		return fmt.Errorf("no such subcommand")
	}
	if len(args) != n {
		return fmt.Errorf("want %d arguments, got %d", n, len(args))
	}
	count := func(i int) (int, error) { return strconv.Atoi(args[i]) }
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	newS3 := func() *s3.Client { return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }) }

	switch cmd {
	case "startup":
		_, err := newS3().ListBuckets(ctx, &s3.ListBucketsInput{})
		return err
	case "head":
		n, err := count(2)
		if err != nil {
			return err
		}
		return head(ctx, newS3(), args[0], args[1], n)
	case "list":
		n, err := count(1)
		if err != nil {
			return err
		}
		return list(ctx, newS3(), args[0], n)
	case "delete":
		n, err := count(1)
		if err != nil {
			return err
		}
		return deleteAll(ctx, newS3(), args[0], n)
	case "dynamodb":
		n, err := count(1)
		if err != nil {
			return err
		}
		return items(ctx, dynamodb.NewFromConfig(cfg), args[0], n)
	case "upload":
		return upload(ctx, newS3(), args[0], args[1], args[2], true)
	case "download":
		return download(ctx, newS3(), args[0], args[1], args[2])
	case "seed-objects":
		n, err := count(1)
		if err != nil {
			return err
		}
		return seedObjects(ctx, newS3(), args[0], n)
	case "seed-table":
		return seedTable(ctx, dynamodb.NewFromConfig(cfg), args[0])
	case "seed-file":
		if err := createBucket(ctx, newS3(), args[0]); err != nil {
			return err
		}
		return upload(ctx, newS3(), args[0], args[1], args[2], false)
	}
	return nil
}

func ready() { fmt.Println("ready") }
func done()  { fmt.Println("done") }

func head(ctx context.Context, c *s3.Client, bucket, key string, n int) error {
	ready()
	for range n {
		if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: &key}); err != nil {
			return err
		}
	}
	done()
	return nil
}

// list pages through a bucket and reads every key, as the paginator and
// collection workloads do: the floor of both.
func list(ctx context.Context, c *s3.Client, bucket string, n int) error {
	ready()
	seen := 0
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: &bucket})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, o := range page.Contents {
			if o.Key != nil {
				seen++
			}
		}
	}
	if seen != n {
		return fmt.Errorf("listed %d objects, want %d", seen, n)
	}
	done()
	return nil
}

// deleteAll is what a collection's batch delete does: list a page, delete
// its keys in one DeleteObjects, and go on.
func deleteAll(ctx context.Context, c *s3.Client, bucket string, n int) error {
	ready()
	deleted := 0
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: &bucket})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		if len(page.Contents) == 0 {
			continue
		}
		ids := make([]types.ObjectIdentifier, len(page.Contents))
		for i, o := range page.Contents {
			ids[i].Key = o.Key
		}
		out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: &bucket, Delete: &types.Delete{Objects: ids}})
		if err != nil {
			return err
		}
		if len(out.Errors) > 0 {
			return fmt.Errorf("DeleteObjects: %s", aws.ToString(out.Errors[0].Message))
		}
		deleted += len(out.Deleted)
	}
	if deleted != n {
		return fmt.Errorf("deleted %d objects, want %d", deleted, n)
	}
	done()
	return nil
}

// items puts n items and gets each back, with the attributes the Lua and
// Python sides write.
func items(ctx context.Context, c *dynamodb.Client, table string, n int) error {
	ready()
	for i := range n {
		item := map[string]ddbtypes.AttributeValue{
			"pk":    &ddbtypes.AttributeValueMemberS{Value: fmt.Sprintf("item-%06d", i)},
			"n":     &ddbtypes.AttributeValueMemberN{Value: strconv.Itoa(i)},
			"name":  &ddbtypes.AttributeValueMemberS{Value: "benchmark item"},
			"tags":  &ddbtypes.AttributeValueMemberSS{Value: []string{"a", "b"}},
			"attrs": &ddbtypes.AttributeValueMemberM{Value: map[string]ddbtypes.AttributeValue{"ok": &ddbtypes.AttributeValueMemberBOOL{Value: true}}},
		}
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: item}); err != nil {
			return err
		}
	}
	for i := range n {
		out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: map[string]ddbtypes.AttributeValue{
			"pk": &ddbtypes.AttributeValueMemberS{Value: fmt.Sprintf("item-%06d", i)},
		}})
		if err != nil {
			return err
		}
		v, ok := out.Item["n"].(*ddbtypes.AttributeValueMemberN)
		if !ok {
			return fmt.Errorf("item %d came back without n", i)
		}
		if got, err := strconv.Atoi(v.Value); err != nil || got != i {
			return fmt.Errorf("item %d came back with n = %s", i, v.Value)
		}
	}
	done()
	return nil
}

func upload(ctx context.Context, c *s3.Client, bucket, key, file string, markers bool) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	mgr := tm.New(c)
	if markers {
		ready()
	}
	if _, err := mgr.UploadObject(ctx, &tm.UploadObjectInput{Bucket: &bucket, Key: &key, Body: f}); err != nil {
		return err
	}
	if markers {
		done()
	}
	return nil
}

func download(ctx context.Context, c *s3.Client, bucket, key, file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	mgr := tm.New(c)
	ready()
	_, err = mgr.DownloadObject(ctx, &tm.DownloadObjectInput{Bucket: &bucket, Key: &key, WriterAt: f})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	done()
	return nil
}

func createBucket(ctx context.Context, c *s3.Client, bucket string) error {
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket})
	var owned *types.BucketAlreadyOwnedByYou
	if errors.As(err, &owned) {
		return nil
	}
	return err
}

// seedObjects makes bucket (if needed) and puts n empty objects into it,
// 32 at a time.
func seedObjects(ctx context.Context, c *s3.Client, bucket string, n int) error {
	if err := createBucket(ctx, c, bucket); err != nil {
		return err
	}
	const workers = 32
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String(objectKey(i))})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					next.Store(int64(n))
					return
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}

func seedTable(ctx context.Context, c *dynamodb.Client, table string) error {
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            &table,
		BillingMode:          ddbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: ddbtypes.KeyTypeHash}},
	})
	if err != nil {
		return err
	}
	return dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) { o.MinDelay = 100 * time.Millisecond }).
		Wait(ctx, &dynamodb.DescribeTableInput{TableName: &table}, time.Minute)
}
