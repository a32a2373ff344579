package endpoint

import (
	"net/netip"
	"net/url"
	"strings"
)

// The library functions. Each takes evaluated arguments and returns nil
// (unset) where its argument is unset or of the wrong type, so that a
// malformed rule set fails its condition rather than the process.

type function struct {
	arity int
	fn    func(s *state, args []any) any
}

// functions holds every function the 424 botocore rule sets call;
// getAttr is compiled specially, but its arity is checked here.
var functions = map[string]function{
	"isSet":                         {1, func(_ *state, a []any) any { return a[0] != nil }},
	"not":                           {1, func(_ *state, a []any) any { return a[0] == nil || a[0] == false }},
	"booleanEquals":                 {2, booleanEquals},
	"stringEquals":                  {2, stringEquals},
	"getAttr":                       {2, nil},
	"substring":                     {4, substring},
	"uriEncode":                     {1, uriEncode},
	"parseURL":                      {1, parseURL},
	"isValidHostLabel":              {2, isValidHostLabel},
	"aws.partition":                 {1, partition},
	"aws.parseArn":                  {1, parseArn},
	"aws.isVirtualHostableS3Bucket": {2, isVirtualHostableS3Bucket},
}

func booleanEquals(_ *state, a []any) any {
	x, ok1 := a[0].(bool)
	y, ok2 := a[1].(bool)
	return ok1 && ok2 && x == y
}

func stringEquals(_ *state, a []any) any {
	x, ok1 := a[0].(string)
	y, ok2 := a[1].(string)
	return ok1 && ok2 && x == y
}

func toInt(v any) (int, bool) {
	switch v := v.(type) {
	case int:
		return v, true
	case float64:
		if v == float64(int(v)) {
			return int(v), true
		}
	}
	return 0, false
}

// substring(input, start, stop, reverse) is input[start:stop], counted from
// the end when reverse is true; unset when out of range or when the input
// is not ASCII, so that byte and character indexes agree.
func substring(_ *state, a []any) any {
	s, ok1 := a[0].(string)
	start, ok2 := toInt(a[1])
	stop, ok3 := toInt(a[2])
	reverse, ok4 := a[3].(bool)
	if !ok1 || !ok2 || !ok3 || !ok4 || start < 0 || start >= stop || len(s) < stop {
		return nil
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return nil
		}
	}
	if reverse {
		start, stop = len(s)-stop, len(s)-start
	}
	return s[start:stop]
}

// uriEncode percent-encodes every byte but the unreserved characters of
// RFC 3986.
func uriEncode(_ *state, a []any) any {
	s, ok := a[0].(string)
	if !ok {
		return nil
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// parseURL splits an http(s) URL without a query into scheme, authority,
// path, normalizedPath (the path with a trailing slash) and isIp.
func parseURL(_ *state, a []any) any {
	s, ok := a[0].(string)
	if !ok {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.Opaque != "" {
		return nil
	}
	authority := u.Host
	if u.User != nil {
		authority = u.User.String() + "@" + authority
	}
	path := u.EscapedPath()
	normalized := path
	if !strings.HasPrefix(normalized, "/") {
		normalized = "/" + normalized
	}
	if !strings.HasSuffix(normalized, "/") {
		normalized += "/"
	}
	_, err = netip.ParseAddr(u.Hostname())
	return map[string]any{
		"scheme":         u.Scheme,
		"authority":      authority,
		"path":           path,
		"normalizedPath": normalized,
		"isIp":           err == nil,
	}
}

// isValidHostLabel reports whether a string is an RFC 1123 host label
// (or, when subdomains are allowed, dot-separated labels).
func isValidHostLabel(_ *state, a []any) any {
	s, ok1 := a[0].(string)
	sub, ok2 := a[1].(bool)
	return ok1 && ok2 && validHostLabel(s, sub)
}

func validHostLabel(s string, subdomains bool) bool {
	if subdomains {
		for label := range strings.SplitSeq(s, ".") {
			if !validHostLabel(label, false) {
				return false
			}
		}
		return true
	}
	if len(s) == 0 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// isVirtualHostableS3Bucket reports whether a bucket name can be the first
// labels of a host name: at least 3 characters, no upper case, not
// shaped like an IPv4 address, and valid host labels.
func isVirtualHostableS3Bucket(_ *state, a []any) any {
	s, ok1 := a[0].(string)
	sub, ok2 := a[1].(bool)
	return ok1 && ok2 && len(s) >= 3 && strings.ToLower(s) == s && !looksLikeIPv4(s) && validHostLabel(s, sub)
}

// looksLikeIPv4 reports whether s is four dot-separated groups of one to
// three digits, whatever their values.
func looksLikeIPv4(s string) bool {
	groups := strings.Split(s, ".")
	if len(groups) != 4 {
		return false
	}
	for _, g := range groups {
		if len(g) == 0 || len(g) > 3 {
			return false
		}
		for i := 0; i < len(g); i++ {
			if g[i] < '0' || g[i] > '9' {
				return false
			}
		}
	}
	return true
}

// parseArn splits "arn:partition:service:region:account:resource" into
// its parts, with the resource split at ':' and '/' into resourceId.
func parseArn(_ *state, a []any) any {
	s, ok := a[0].(string)
	if !ok {
		return nil
	}
	f := strings.SplitN(s, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[1] == "" || f[2] == "" || f[5] == "" {
		return nil
	}
	parts := strings.Split(strings.ReplaceAll(f[5], ":", "/"), "/")
	resourceID := make([]any, len(parts))
	for i, p := range parts {
		resourceID[i] = p
	}
	return map[string]any{
		"partition":  f[1],
		"service":    f[2],
		"region":     f[3],
		"accountId":  f[4],
		"resourceId": resourceID,
	}
}

// partition is aws.partition: the partition a region belongs to.
func partition(s *state, a []any) any {
	region, ok := a[0].(string)
	if !ok {
		return nil
	}
	return s.parts.lookup(region)
}
