package tests

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/awslua/awslua/bindings"
)

// engineServices are services that awslua had no typed package for: each
// runs on the model-driven engine only, and each test creates something,
// reads it back and finds it in a paginated list, against moto, from Lua
// as a user writes it. Together they cover the query, JSON and REST-JSON
// protocols. ID is a unique suffix, so that reruns on one server do not
// collide.
var engineServices = []struct{ service, lua string }{
	{"ses", `
		local c = aws.client("ses")
		c:verify_email_identity{EmailAddress = "a-ID@example.com"}
		check(has(c:get_paginator("list_identities"):paginate{}:search("Identities"), "a-ID@example.com"), "listed")
		local attrs = c:get_identity_verification_attributes{Identities = {"a-ID@example.com"}}
		check(attrs.VerificationAttributes["a-ID@example.com"].VerificationStatus == "Success", "verified")`},
	{"sesv2", `
		local c = aws.client("sesv2")
		c:create_email_identity{EmailIdentity = "b-ID@example.com"}
		check(c:get_email_identity{EmailIdentity = "b-ID@example.com"}.IdentityType == "EMAIL_ADDRESS", "type")
		check(has(c:list_email_identities{}.EmailIdentities, "b-ID@example.com", "IdentityName"), "listed")`},
	{"cognito-idp", `
		local c = aws.client("cognito-idp")
		local pool = c:create_user_pool{PoolName = "pool-ID"}.UserPool
		check(c:describe_user_pool{UserPoolId = pool.Id}.UserPool.Name == "pool-ID", "name")
		check(pool.CreationDate:unix() > 0, "timestamp")
		check(has(c:get_paginator("list_user_pools"):paginate{MaxResults = 10}:search("UserPools[].Name"), "pool-ID"), "listed")`},
	{"apigateway", `
		local c = aws.client("apigateway")
		local api = c:create_rest_api{name = "api-ID", description = "d"}
		check(c:get_rest_api{restApiId = api.id}.description == "d", "description")
		check(has(c:get_paginator("get_rest_apis"):paginate{}:search("items[].name"), "api-ID"), "listed")`},
	{"apigatewayv2", `
		local c = aws.client("apigatewayv2")
		local api = c:create_api{Name = "h-ID", ProtocolType = "HTTP"}
		check(c:get_api{ApiId = api.ApiId}.ProtocolType == "HTTP", "protocol")
		check(has(c:get_paginator("get_apis"):paginate{}:search("Items[].Name"), "h-ID"), "listed")`},
	{"firehose", `
		local c = aws.client("firehose")
		c:create_delivery_stream{DeliveryStreamName = "fh-ID", S3DestinationConfiguration = {
			RoleARN = "arn:aws:iam::123456789012:role/r", BucketARN = "arn:aws:s3:::b"}}
		local d = c:describe_delivery_stream{DeliveryStreamName = "fh-ID"}.DeliveryStreamDescription
		check(d.DeliveryStreamName == "fh-ID", "name")
		local names = c:list_delivery_streams{Limit = 100}.DeliveryStreamNames
		check(has(values(names), "fh-ID"), "listed")`},
	{"glue", `
		local c = aws.client("glue")
		c:create_database{DatabaseInput = {Name = "db_ID", Description = "d"}}
		check(c:get_database{Name = "db_ID"}.Database.Description == "d", "description")
		check(has(c:get_paginator("get_databases"):paginate{}:search("DatabaseList[].Name"), "db_ID"), "listed")`},
	{"elasticache", `
		local c = aws.client("elasticache")
		c:create_cache_cluster{CacheClusterId = "cc-ID", Engine = "redis", CacheNodeType = "cache.t3.micro", NumCacheNodes = 1}
		local cc = c:describe_cache_clusters{CacheClusterId = "cc-ID"}.CacheClusters[1]
		check(cc.Engine == "redis" and cc.NumCacheNodes == 1, "cluster")
		check(has(c:get_paginator("describe_cache_clusters"):paginate{}:search("CacheClusters[].CacheClusterId"), "cc-ID"), "listed")`},
	{"eks", `
		local c = aws.client("eks")
		c:create_cluster{name = "k-ID", roleArn = "arn:aws:iam::123456789012:role/r", resourcesVpcConfig = {subnetIds = {}}}
		check(c:describe_cluster{name = "k-ID"}.cluster.roleArn == "arn:aws:iam::123456789012:role/r", "role")
		check(has(c:get_paginator("list_clusters"):paginate{}:search("clusters"), "k-ID"), "listed")`},
	{"cloudtrail", `
		aws.client("s3"):create_bucket{Bucket = "trail-ID"}
		local c = aws.client("cloudtrail")
		c:create_trail{Name = "trail-ID", S3BucketName = "trail-ID"}
		check(c:get_trail{Name = "trail-ID"}.Trail.S3BucketName == "trail-ID", "bucket")
		check(has(c:get_paginator("list_trails"):paginate{}:search("Trails[].Name"), "trail-ID"), "listed")`},
	{"config", `
		local c = aws.client("config")
		c:put_configuration_recorder{ConfigurationRecorder = {name = "default", roleARN = "arn:aws:iam::123456789012:role/r-ID"}}
		local r = c:describe_configuration_recorders{}.ConfigurationRecorders
		check(r[1].roleARN == "arn:aws:iam::123456789012:role/r-ID", "recorder")`},
	{"resourcegroupstaggingapi", `
		local sqs = aws.client("sqs")
		local url = sqs:create_queue{QueueName = "tagged-ID", tags = {team = "ID"}}.QueueUrl
		local c = aws.client("resourcegroupstaggingapi")
		local found = false
		for m in c:get_paginator("get_resources"):paginate{ResourceTypeFilters = {"sqs"}, TagFilters = {{Key = "team", Values = {"ID"}}}}:search("ResourceTagMappingList") do
			found = found or m.ResourceARN:find("tagged%-ID") ~= nil
		end
		check(found, "tagged queue listed")`},
	{"backup", `
		local c = aws.client("backup")
		c:create_backup_vault{BackupVaultName = "v-ID"}
		check(c:describe_backup_vault{BackupVaultName = "v-ID"}.BackupVaultName == "v-ID", "vault")
		check(has(c:get_paginator("list_backup_vaults"):paginate{}:search("BackupVaultList[].BackupVaultName"), "v-ID"), "listed")`},
	{"application-autoscaling", `
		aws.client("dynamodb"):create_table{TableName = "t-ID", BillingMode = "PAY_PER_REQUEST",
			AttributeDefinitions = {{AttributeName = "k", AttributeType = "S"}}, KeySchema = {{AttributeName = "k", KeyType = "HASH"}}}
		local c = aws.client("application-autoscaling")
		c:register_scalable_target{ServiceNamespace = "dynamodb", ResourceId = "table/t-ID",
			ScalableDimension = "dynamodb:table:ReadCapacityUnits", MinCapacity = 1, MaxCapacity = 7}
		local max
		for t in c:get_paginator("describe_scalable_targets"):paginate{ServiceNamespace = "dynamodb"}:search("ScalableTargets") do
			if t.ResourceId == "table/t-ID" then max = t.MaxCapacity end
		end
		check(max == 7, "max capacity")`},
	{"elb", `
		local c = aws.client("elb")
		c:create_load_balancer{LoadBalancerName = "lb-ID", AvailabilityZones = {"us-east-1a"},
			Listeners = {{Protocol = "HTTP", LoadBalancerPort = 80, InstancePort = 8080}}}
		local lb = c:describe_load_balancers{LoadBalancerNames = {"lb-ID"}}.LoadBalancerDescriptions[1]
		check(lb.ListenerDescriptions[1].Listener.InstancePort == 8080, "listener")
		check(has(c:get_paginator("describe_load_balancers"):paginate{}:search("LoadBalancerDescriptions[].LoadBalancerName"), "lb-ID"), "listed")`},
	{"efs", `
		local c = aws.client("efs")
		local fs = c:create_file_system{CreationToken = "tok-ID"}
		check(c:describe_file_systems{FileSystemId = fs.FileSystemId}.FileSystems[1].CreationToken == "tok-ID", "token")
		check(has(c:get_paginator("describe_file_systems"):paginate{}:search("FileSystems[].CreationToken"), "tok-ID"), "listed")`},
	{"redshift", `
		local c = aws.client("redshift")
		c:create_cluster{ClusterIdentifier = "rs-ID", NodeType = "dc2.large", MasterUsername = "u",
			MasterUserPassword = "Passw0rd1", ClusterType = "single-node"}
		check(c:describe_clusters{ClusterIdentifier = "rs-ID"}.Clusters[1].NodeType == "dc2.large", "node type")
		check(has(c:get_paginator("describe_clusters"):paginate{}:search("Clusters[].ClusterIdentifier"), "rs-ID"), "listed")`},
	{"emr", `
		local c = aws.client("emr")
		local j = c:run_job_flow{Name = "j-ID", ReleaseLabel = "emr-6.0.0", JobFlowRole = "r", ServiceRole = "r",
			Instances = {MasterInstanceType = "m5.xlarge", SlaveInstanceType = "m5.xlarge", InstanceCount = 1}}
		check(c:describe_cluster{ClusterId = j.JobFlowId}.Cluster.Name == "j-ID", "name")
		check(has(c:get_paginator("list_clusters"):paginate{}:search("Clusters[].Name"), "j-ID"), "listed")`},
	{"kinesisvideo", `
		local c = aws.client("kinesisvideo")
		c:create_stream{StreamName = "kv-ID", DataRetentionInHours = 2}
		check(c:describe_stream{StreamName = "kv-ID"}.StreamInfo.DataRetentionInHours == 2, "retention")
		check(has(c:get_paginator("list_streams"):paginate{}:search("StreamInfoList[].StreamName"), "kv-ID"), "listed")`},
	{"iot", `
		local c = aws.client("iot")
		c:create_thing{thingName = "th-ID", attributePayload = {attributes = {color = "red"}}}
		check(c:describe_thing{thingName = "th-ID"}.attributes.color == "red", "attribute")
		check(has(c:get_paginator("list_things"):paginate{}:search("things[].thingName"), "th-ID"), "listed")`},
	{"dax", `
		local c = aws.client("dax")
		c:create_cluster{ClusterName = "dax-ID", NodeType = "dax.t3.small", ReplicationFactor = 1,
			IamRoleArn = "arn:aws:iam::123456789012:role/r"}
		check(c:describe_clusters{ClusterNames = {"dax-ID"}}.Clusters[1].NodeType == "dax.t3.small", "node type")
		check(has(c:get_paginator("describe_clusters"):paginate{}:search("Clusters[].ClusterName"), "dax-ID"), "listed")`},
	{"elasticbeanstalk", `
		local c = aws.client("elasticbeanstalk")
		local app = c:create_application{ApplicationName = "app-ID"}.Application
		check(app.ApplicationArn:find("application/app%-ID$") ~= nil, "arn")
		check(has(c:describe_applications{}.Applications, "app-ID", "ApplicationName"), "listed")`},
	{"es", `
		local c = aws.client("es")
		c:create_elasticsearch_domain{DomainName = "es-ID"}
		check(c:describe_elasticsearch_domain{DomainName = "es-ID"}.DomainStatus.DomainName == "es-ID", "domain")
		check(has(c:list_domain_names{}.DomainNames, "es-ID", "DomainName"), "listed")`},
	{"opensearch", `
		local c = aws.client("opensearch")
		c:create_domain{DomainName = "os-ID"}
		check(c:describe_domain{DomainName = "os-ID"}.DomainStatus.DomainName == "os-ID", "domain")
		check(has(c:list_domain_names{}.DomainNames, "os-ID", "DomainName"), "listed")`},
	{"guardduty", `
		local c = aws.client("guardduty")
		local d = c:create_detector{Enable = true}
		check(c:get_detector{DetectorId = d.DetectorId}.Status == "ENABLED", "status")
		check(has(c:get_paginator("list_detectors"):paginate{}:search("DetectorIds"), d.DetectorId), "listed")`},
	{"mq", `
		local c = aws.client("mq")
		local b = c:create_broker{BrokerName = "b-ID", EngineType = "ACTIVEMQ", EngineVersion = "5.15", HostInstanceType = "mq.t2.micro",
			DeploymentMode = "SINGLE_INSTANCE", PubliclyAccessible = false, AutoMinorVersionUpgrade = true, Users = {{Username = "u", Password = "p"}}}
		check(c:describe_broker{BrokerId = b.BrokerId}.BrokerName == "b-ID", "name")
		check(has(c:get_paginator("list_brokers"):paginate{}:search("BrokerSummaries[].BrokerName"), "b-ID"), "listed")`},
	{"ram", `
		local c = aws.client("ram")
		local s = c:create_resource_share{name = "rs-ID"}.resourceShare
		check(s.status == "ACTIVE", "status")
		check(has(c:get_paginator("get_resource_shares"):paginate{resourceOwner = "SELF"}:search("resourceShares[].name"), "rs-ID"), "listed")`},
	{"resource-groups", `
		local c = aws.client("resource-groups")
		c:create_group{Name = "g-ID", ResourceQuery = {Type = "TAG_FILTERS_1_0",
			Query = aws.json.encode{ResourceTypeFilters = {"AWS::AllSupported"}, TagFilters = {{Key = "k", Values = {"v"}}}}}}
		check(c:get_group{GroupName = "g-ID"}.Group.Name == "g-ID", "group")
		check(has(c:get_paginator("list_groups"):paginate{}:search("GroupIdentifiers[].GroupName"), "g-ID"), "listed")`},
	{"servicediscovery", `
		local c = aws.client("servicediscovery")
		c:create_http_namespace{Name = "ns-ID", Description = "d"}
		local found
		for n in c:get_paginator("list_namespaces"):paginate{}:search("Namespaces") do
			if n.Name == "ns-ID" then found = n end
		end
		check(found and c:get_namespace{Id = found.Id}.Namespace.Description == "d", "namespace")`},
	{"swf", `
		local c = aws.client("swf")
		c:register_domain{name = "d-ID", workflowExecutionRetentionPeriodInDays = "1"}
		check(c:describe_domain{name = "d-ID"}.configuration.workflowExecutionRetentionPeriodInDays == "1", "retention")
		check(has(c:get_paginator("list_domains"):paginate{registrationStatus = "REGISTERED"}:search("domainInfos[].name"), "d-ID"), "listed")`},
	{"timestream-write", `
		local c = aws.client("timestream-write")
		c:create_database{DatabaseName = "tdb-ID"}
		check(c:describe_database{DatabaseName = "tdb-ID"}.Database.DatabaseName == "tdb-ID", "database")
		check(has(c:list_databases{MaxResults = 20}.Databases, "tdb-ID", "DatabaseName"), "listed")`},
	{"appsync", `
		local c = aws.client("appsync")
		local api = c:create_graphql_api{name = "g-ID", authenticationType = "API_KEY"}.graphqlApi
		check(c:get_graphql_api{apiId = api.apiId}.graphqlApi.authenticationType == "API_KEY", "auth")
		check(has(c:get_paginator("list_graphql_apis"):paginate{}:search("graphqlApis[].name"), "g-ID"), "listed")`},
	{"scheduler", `
		local c = aws.client("scheduler")
		c:create_schedule{Name = "s-ID", ScheduleExpression = "rate(1 hour)", FlexibleTimeWindow = {Mode = "OFF"},
			Target = {Arn = "arn:aws:sqs:us-east-1:123456789012:q", RoleArn = "arn:aws:iam::123456789012:role/r"}}
		check(c:get_schedule{Name = "s-ID"}.ScheduleExpression == "rate(1 hour)", "expression")
		check(has(c:get_paginator("list_schedules"):paginate{}:search("Schedules[].Name"), "s-ID"), "listed")`},
	{"polly", `
		local c = aws.client("polly")
		c:put_lexicon{Name = "lexID", Content = [[<?xml version="1.0" encoding="UTF-8"?><lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en-US"><lexeme><grapheme>W3C</grapheme><alias>World Wide Web Consortium</alias></lexeme></lexicon>]]}
		check(c:get_lexicon{Name = "lexID"}.Lexicon.Name == "lexID", "lexicon")
		check(has(c:list_lexicons{}.Lexicons, "lexID", "Name"), "listed")`},
	{"kafka", `
		local c = aws.client("kafka")
		local arn = c:create_cluster{ClusterName = "msk-ID", KafkaVersion = "2.8.1", NumberOfBrokerNodes = 3,
			BrokerNodeGroupInfo = {InstanceType = "kafka.m5.large", ClientSubnets = {"subnet-1", "subnet-2", "subnet-3"}}}.ClusterArn
		check(c:describe_cluster{ClusterArn = arn}.ClusterInfo.ClusterName == "msk-ID", "cluster")
		check(has(c:get_paginator("list_clusters"):paginate{}:search("ClusterInfoList[].ClusterName"), "msk-ID"), "listed")`},
}

// engineLuaPrelude is what every engine service test uses: check raises
// with the service's name, has finds a value in a search or a list.
const engineLuaPrelude = `
local service = ...
function check(ok, what) if not ok then error(service .. ": " .. what .. " is wrong", 2) end end
function values(list) local i = 0 return function() i = i + 1 return list[i] end end
function has(it, want, field)
	if type(it) == "table" then it = values(it) end
	for v in it do
		if field then v = v[field] end
		if v == want then return true end
	end
	return false
end
`

func TestEngineServices(t *testing.T) {
	if n := len(engineServices); n < 30 {
		t.Fatalf("only %d services", n)
	}
	for _, tc := range engineServices {
		t.Run(tc.service, func(t *testing.T) {
			id := make([]byte, 4)
			rand.Read(id)
			l := newLua(t, "moto", bindings.Options{})
			src := engineLuaPrelude + strings.ReplaceAll(tc.lua, "ID", hex.EncodeToString(id))
			l.must(t, src, tc.service)
		})
	}
}
