package sdk

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ParamValidationError reports a request that does not fit its operation.
// It is returned before anything is sent.
type ParamValidationError struct {
	Operation string
	// Problems has one sentence for each member that is wrong.
	Problems []string
}

func (e *ParamValidationError) Error() string {
	return "Parameter validation failed:\n" + strings.Join(e.Problems, "\n")
}

// ErrorCode returns "ParamValidationError", as boto3 names this error.
func (e *ParamValidationError) ErrorCode() string { return "ParamValidationError" }

// encoder checks dynamic values against a model's shapes, collecting every
// problem instead of stopping at the first, as boto3's validator does.
type encoder struct {
	problems []string
	// partial skips the input's own required members: a caller that
	// fills them itself checks the rest (S3 transfers' ExtraArgs).
	partial bool
	// paths has, for each problem, the path of the member it is about
	// ("" for the input itself), so that a static check can point at it.
	paths []string
	// static is CheckStatic's check: Unknown values and Partial tables,
	// and enums.
	static bool
}

func (e *encoder) fail(path, format string, args ...any) {
	e.problems = append(e.problems, fmt.Sprintf(format, args...))
	e.paths = append(e.paths, path)
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// stringMap calls f for each entry of a map with string keys, in key order
// so that problems are reported in a stable order.
func stringMap(v any, f func(k string, v any)) bool {
	if m, ok := v.(map[string]any); ok {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f(k, m[k])
		}
		return true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return false
	}
	keys := rv.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	for _, k := range keys {
		f(k.String(), rv.MapIndex(k).Interface())
	}
	return true
}

func (e *encoder) typeError(path string, v any, want string) {
	e.fail(path, "Invalid type for parameter %s, value: %s, type: %s, valid types: %s", nonEmpty(path), show(v), typeName(v), want)
}

func nonEmpty(path string) string {
	if path == "" {
		return "input"
	}
	return path
}

func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case int16:
		return int64(n), true
	case int8:
		return int64(n), true
	case uint8:
		return int64(n), true
	case uint16:
		return int64(n), true
	case uint32:
		return int64(n), true
	case uint64:
		if n > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case uint:
		if uint64(n) > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case float64:
		if n != math.Trunc(n) || n < math.MinInt64 || n >= math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case float32:
		return toInt64(float64(n))
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

func toFloat64(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	if i, ok := toInt64(v); ok {
		return float64(i), true
	}
	return 0, false
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05Z0700", "2006-01-02"}

func toTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, true
	case *time.Time:
		return *t, t != nil
	case string:
		for _, layout := range timeLayouts {
			if p, err := time.Parse(layout, t); err == nil {
				return p, true
			}
		}
		return time.Time{}, false
	}
	if f, ok := toFloat64(v); ok {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
	}
	return time.Time{}, false
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, json.Number:
		return "number"
	case []byte:
		return "bytes"
	case time.Time:
		return "timestamp"
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Map:
		return "map"
	case reflect.Slice, reflect.Array:
		return "list"
	}
	return fmt.Sprintf("%T", v)
}

func show(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	s := fmt.Sprint(v)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}
