package protocol

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/awslua/awslua/sdk/model"
)

var hostLabelValue = regexp.MustCompile(`^[A-Za-z0-9.\-]+$`)

// HostPrefix expands op's endpoint hostPrefix ("{AccountId}.") with the
// input's hostLabel members, as botocore's serializers do; "" when op has
// none. The caller prepends it to the resolved endpoint's host (unless the
// user disabled host prefix injection). A label must be alphanumerics,
// hyphens and periods, or the input is refused as botocore refuses it.
func HostPrefix(svc *model.Service, op *model.Operation, input map[string]any) (string, error) {
	if op.Endpoint == nil || op.Endpoint.HostPrefix == "" {
		return "", nil
	}
	prefix := op.Endpoint.HostPrefix
	if op.Input == nil {
		return prefix, nil
	}
	in, err := svc.LookupShape(op.Input.Shape)
	if err != nil {
		return "", fmt.Errorf("protocol: %w", err)
	}
	var bad []string
	for name, ref := range in.Members {
		if !ref.HostLabel {
			continue
		}
		v, _ := input[name].(string)
		if !hostLabelValue.MatchString(v) {
			bad = append(bad, name)
			continue
		}
		prefix = strings.ReplaceAll(prefix, "{"+name+"}", v)
	}
	if len(bad) > 0 {
		return "", fmt.Errorf("protocol: invalid value for parameter(s) %s: must contain only alphanumeric characters, hyphen, or period",
			strings.Join(bad, ", "))
	}
	return prefix, nil
}
