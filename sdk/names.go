package sdk

import (
	"regexp"
	"strings"
	"sync"
)

var (
	// An acronym plural at the end ("ARNs", "ACLs") stays one word.
	pluralAcronym = regexp.MustCompile(`[A-Z]{2,}s$`)
	firstCap      = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	endCap        = regexp.MustCompile(`([a-z0-9])([A-Z])`)
	// Splits that boto3 undoes after the general rules.
	snakeFixes = strings.NewReplacer("ipv_6", "ipv6", "ipv-6", "ipv6", "s_3_resources", "s3_resources")
	snakeCache sync.Map
)

// SnakeCase turns an API name into boto3's Python name:
// ListObjectsV2 → list_objects_v2, DescribeDBInstances → describe_db_instances.
func SnakeCase(name string) string {
	if strings.Contains(name, "_") {
		return name
	}
	if v, ok := snakeCache.Load(name); ok {
		return v.(string)
	}
	s := name
	if m := pluralAcronym.FindString(s); m != "" {
		s = s[:len(s)-len(m)] + "_" + strings.ToLower(m)
	}
	s = firstCap.ReplaceAllString(s, "${1}_${2}")
	s = strings.ToLower(endCap.ReplaceAllString(s, "${1}_${2}"))
	s = snakeFixes.Replace(s)
	snakeCache.Store(name, s)
	return s
}
