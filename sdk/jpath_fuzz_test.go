package sdk

import "testing"

// FuzzSearchPath runs the resource models' JMESPath evaluator, fast path
// and library, over arbitrary expressions and a page of data.
func FuzzSearchPath(f *testing.F) {
	for _, seed := range []string{"Contents[].Key", "Reservations[0].Instances[]", "a[-1]", "a[]]", "a..b", "[0]", "a[x]", "@"} {
		f.Add(seed)
	}
	page := map[string]any{
		"Contents":     []any{map[string]any{"Key": "a", "Size": int64(1)}, map[string]any{"Key": "b"}},
		"Reservations": []any{map[string]any{"Instances": []any{map[string]any{"InstanceId": "i-1"}}}},
		"a":            []any{[]any{int64(1)}, nil, "x"},
	}
	f.Fuzz(func(t *testing.T, expr string) {
		search(expr, page)
	})
}
