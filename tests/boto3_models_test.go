package tests

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslua/awslua/bindings"
	"github.com/awslua/awslua/internal/testenv"
	"github.com/awslua/awslua/sdk"
)

// boto3ModelScripts exercise, for each service, one action, one
// collection and one reference or sub-resource of boto3's own model, run
// against moto. Each gets the model's path and a unique name.
var boto3ModelScripts = map[string]string{
	"s3": `
		local s3 = aws.resource("s3")
		local b = s3:create_bucket{Bucket = name}                         -- action
		b:put_object{Key = "k1", Body = "one"}
		local keys = {}
		for o in b.objects:all() do keys[#keys + 1] = o.key end           -- collection
		local o = b:Object("k1")
		print(#keys, keys[1], o:Bucket().name == name, o:get().Body:read()) -- sub-resource
		-- BucketLifecycle runs on {Get,Put}BucketLifecycle, which aws-sdk-go-v2
		-- has only as their ...Configuration successors
		local lc = b:Lifecycle()
		lc:put{LifecycleConfiguration = {Rules = {{ID = "r1", Status = "Enabled", Prefix = "tmp/", Expiration = {Days = 1}}}}}
		print(lc.rules[1].ID)
		b.objects:delete()
		b:delete()`,
	"sqs": `
		local sqs = aws.resource("sqs")
		local q = sqs:create_queue{QueueName = name}                     -- action
		local n = 0
		local c = sqs.queues:filter{QueueNamePrefix = name}
		for x in c:all() do n = n + 1 end                                -- collection
		q:send_message{MessageBody = "hi"}
		local got = q:receive_messages{MaxNumberOfMessages = 1}
		local m = got[1]
		-- the load sends AttributeNames[] = "All"; a message's Queue is a sub-resource
		print(n, q.attributes.QueueArn ~= nil, m.body, m:Queue() == q)
		q:delete()`,
	"sns": `
		local sns = aws.resource("sns")
		local t = sns:create_topic{Name = name}                          -- action
		local n = 0
		for x in sns.topics:all() do if x.arn == t.arn then n = n + 1 end end -- collection
		local q = aws.client("sqs"):create_queue{QueueName = name}.QueueUrl
		local s = t:subscribe{Protocol = "sqs", Endpoint = "arn:aws:sqs:us-east-1:123456789012:" .. name}
		local sub = sns:Subscription(s.arn)                              -- sub-resource
		print(n, t.attributes.TopicArn == t.arn, sub.attributes.TopicArn == t.arn)
		t:delete()
		aws.client("sqs"):delete_queue{QueueUrl = q}`,
	"iam": `
		local iam = aws.resource("iam")
		local u = iam:create_user{UserName = name}                       -- action
		local n = 0
		for x in iam.users:all() do if x.name == name then n = n + 1 end end -- collection
		local p = iam:create_policy{PolicyName = name, PolicyDocument = aws.json.encode{
			Version = "2012-10-17", Statement = {{Effect = "Allow", Action = "s3:GetObject", Resource = "*"}}}}
		-- boto3's model names the service's Policy identifier PolicyArn: by position, it is Arn
		local same = iam:Policy(p.arn)
		print(n, u.arn ~= nil, same.policy_name, same.default_version.version_id) -- reference (data)
		p:delete()
		u:delete()`,
	"dynamodb": `
		local ddb = aws.resource("dynamodb")
		local t = ddb:create_table{TableName = name, BillingMode = "PAY_PER_REQUEST",   -- action
			AttributeDefinitions = {{AttributeName = "pk", AttributeType = "S"}},
			KeySchema = {{AttributeName = "pk", KeyType = "HASH"}}}
		t:wait_until_exists()
		local n = 0
		for x in ddb.tables:all() do if x.name == name then n = n + 1 end end -- collection
		t:put_item{Item = {pk = "a", v = 1}}                              -- native values, as boto3's
		local same = ddb:Table(name)                                     -- sub-resource
		print(n, same.table_status, same:get_item{Key = {pk = "a"}}.Item.v)
		t:delete()`,
	"ec2": `
		local ec2 = aws.resource("ec2")
		local vpc = ec2:create_vpc{CidrBlock = "10.42.0.0/16"}            -- action
		local subnet = vpc:create_subnet{CidrBlock = "10.42.1.0/24"}
		local n = 0
		local c = ec2.vpcs:filter{VpcIds = {vpc.id}}
		for x in c:all() do n = n + 1 end                                -- collection
		print(n, subnet.vpc == vpc, subnet.vpc.cidr_block)               -- reference (data)
		subnet:delete()
		vpc:delete()`,
	"cloudwatch": `
		local cw = aws.resource("cloudwatch")
		local m = cw:Metric("awslua/test", name)
		m:put_data{MetricData = {{MetricName = name, Value = 1}}}          -- action
		local a = m:put_alarm{AlarmName = name, Statistic = "Average", Period = 60, EvaluationPeriods = 1,
			Threshold = 1, ComparisonOperator = "GreaterThanThreshold"}
		local n = 0
		local c = cw.alarms:filter{AlarmNamePrefix = name}
		for x in c:all() do n = n + 1 end                                -- collection
		print(n, a.metric == m, a.metric.name == name)                   -- reference (data)
		c:delete()                                                       -- batch action: AlarmNames[]
		n = 0
		for x in c:all() do n = n + 1 end
		print(n)`,
	"glacier": `
		local glacier = aws.resource("glacier")
		local v = glacier:create_vault{vaultName = name}                 -- action
		local n = 0
		for x in glacier.vaults:all() do if x.name == name then n = n + 1 end end -- collection
		print(n, v:Account().id, v.vault_name)                           -- sub-resource
		v:delete()`,
	"cloudformation": `
		local cfn = aws.resource("cloudformation")
		local st = cfn:create_stack{StackName = name, TemplateBody = aws.json.encode{
			Resources = {Q = {Type = "AWS::SQS::Queue", Properties = {QueueName = name}}}}}  -- action
		local n = 0
		for x in cfn.stacks:all() do if x.name == name then n = n + 1 end end -- collection
		local r = st:Resource("Q")                                        -- sub-resource
		print(n, r.resource_type, st.stack_status ~= nil)
		st:delete()`,
}

// boto3ModelWant is what each script prints.
var boto3ModelWant = map[string]string{
	"s3":             "1\tk1\ttrue\tone\nr1\n",
	"sqs":            "1\ttrue\thi\ttrue\n",
	"sns":            "1\ttrue\ttrue\n",
	"iam":            "1\ttrue\t%NAME%\tv1\n",
	"dynamodb":       "1\tACTIVE\t1\n",
	"ec2":            "1\ttrue\t10.42.0.0/16\n",
	"cloudwatch":     "1\ttrue\ttrue\n0\n",
	"glacier":        "1\t-\t%NAME%\n",
	"cloudformation": "1\tAWS::SQS::Queue\ttrue\n",
}

// TestBoto3ResourceModels: every resources-1.json that boto3 ships loads
// with aws.resource_model.load, and runs: one action, one collection and
// one reference or sub-resource of each against moto. The bundled model of
// each service is put back afterwards.
func TestBoto3ResourceModels(t *testing.T) {
	out, err := exec.Command("python3", "-c", "import boto3, os; print(os.path.dirname(boto3.__file__))").Output()
	if err != nil {
		t.Skipf("no boto3 on this machine: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "data", "*", "*", "resources-1.json"))
	if len(files) < 15 {
		t.Fatalf("found %d boto3 resource models, want 15 or more: %v", len(files), files)
	}
	l := newLua(t, "moto", bindings.Options{Libs: bindings.AllLibs})
	for _, file := range files {
		service := filepath.Base(filepath.Dir(filepath.Dir(file)))
		version := filepath.Base(filepath.Dir(file))
		t.Run(service+"/"+version, func(t *testing.T) {
			bundled, err := sdk.LookupResourceModel(service)
			if err == nil {
				t.Cleanup(func() { sdk.RegisterResourceModel(service, bundled) })
			}
			l.must(t, `aws.resource_model.load(...)`, file)
			script, ok := boto3ModelScripts[service]
			if !ok {
				t.Logf("%s: loaded; this build has no script for it", service)
				return
			}
			name := testenv.Name("awslua-b3")
			want := strings.ReplaceAll(boto3ModelWant[service], "%NAME%", name)
			if got := l.must(t, "local name = ...\n"+script, name); got != want {
				t.Errorf("printed:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
