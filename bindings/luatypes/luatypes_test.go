package luatypes

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/gopher-lua/parse"
)

// TestDefinitions writes the definitions of every service and holds them
// to LuaLS's documented annotation grammar: every file parses as Lua,
// every ---@ annotation is one of the forms LuaLS documents and well
// formed, every type an annotation names is a built-in or a class
// defined in the output, and a service's file defines every class it
// names, so that it loads alone.
func TestDefinitions(t *testing.T) {
	dir := t.TempDir()
	n, err := WriteDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.lua"))
	if len(files) != n || n < 400 {
		t.Fatalf("wrote %d files, found %d", n, len(files))
	}
	defined := map[string]string{} // class → file
	used := map[string][]string{}  // file → names used
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		if _, err := parse.Parse(bytes.NewReader(src), name); err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		if !bytes.HasPrefix(src, []byte("---@meta\n")) {
			t.Errorf("%s does not start with ---@meta", name)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if !strings.HasPrefix(line, "---@") {
				continue
			}
			class, names, err := annotation(line)
			if err != nil {
				t.Fatalf("%s:%d: %v: %s", name, i+1, err, line)
			}
			if class != "" {
				if prev, dup := defined[class]; dup {
					t.Errorf("%s:%d: class %s defined again (first in %s)", name, i+1, class, prev)
				}
				defined[class] = name
			}
			used[name] = append(used[name], names...)
		}
	}
	for file, names := range used {
		for _, n := range names {
			where, ok := defined[n]
			switch {
			case !ok:
				t.Errorf("%s names %s, which no file defines", file, n)
			case strings.Count(file, ".") == 2 && where != file && where != "":
				// aws.<service>.lua must load alone.
				t.Errorf("%s names %s, defined in %s", file, n, where)
			}
		}
	}
	for _, want := range []string{"aws", "aws.Session", "aws.s3.Client", "aws.s3.ListObjectsV2Request", "aws.s3.resource.Bucket", "aws.s3.resource.Bucket.Objects", "aws.dynamodb.resource.Table", "aws.ec2.Client"} {
		if _, ok := defined[want]; !ok {
			t.Errorf("no class %s", want)
		}
	}
}

var (
	nameRE = `[A-Za-z_][A-Za-z0-9_]*`
	tagRE  = regexp.MustCompile(`^---@(meta|class|field|param|return|overload|see|alias)(?: (.*))?$`)
	// The forms LuaLS documents for each annotation, with the type last.
	classRE = regexp.MustCompile(`^(` + nameRE + `(?:\.` + nameRE + `)*)$`)
	fieldRE = regexp.MustCompile(`^(` + nameRE + `)\?? (.+)$`)
	paramRE = regexp.MustCompile(`^(` + nameRE + `|\.\.\.)\?? (.+)$`)
)

// builtins are the types LuaLS knows without a definition.
var builtins = map[string]bool{"any": true, "nil": true, "boolean": true, "string": true, "number": true,
	"integer": true, "table": true, "function": true, "userdata": true, "thread": true, "file*": true}

// annotation checks one annotation line; it returns the class it
// defines, if any, and the type names it uses.
func annotation(line string) (string, []string, error) {
	m := tagRE.FindStringSubmatch(line)
	if m == nil {
		return "", nil, fmt.Errorf("not an annotation LuaLS documents")
	}
	tag, rest := m[1], m[2]
	var typ string
	switch tag {
	case "meta":
		if rest != "" {
			return "", nil, fmt.Errorf("---@meta takes nothing here")
		}
		return "", nil, nil
	case "class":
		if !classRE.MatchString(rest) {
			return "", nil, fmt.Errorf("bad class name")
		}
		return rest, nil, nil
	case "see":
		if rest == "" || strings.Contains(rest, " ") {
			return "", nil, fmt.Errorf("bad ---@see")
		}
		return "", nil, nil
	case "field":
		f := fieldRE.FindStringSubmatch(rest)
		if f == nil {
			return "", nil, fmt.Errorf("bad field")
		}
		typ = f[2]
	case "param":
		f := paramRE.FindStringSubmatch(rest)
		if f == nil {
			return "", nil, fmt.Errorf("bad param")
		}
		typ = f[2]
	case "return", "overload":
		typ = rest
	case "alias":
		return "", nil, fmt.Errorf("no alias expected")
	}
	p := &typeParser{s: typ}
	p.union()
	if p.err == nil && p.i != len(p.s) {
		p.fail("trailing text")
	}
	return "", p.names, p.err
}

// typeParser reads LuaLS's type notation: unions (a|b), arrays (T[]),
// table<K, V>, fun(a: T, b?: U): R, {k: T, k2?: U}, string literals,
// parentheses and (dotted) names.
type typeParser struct {
	s     string
	i     int
	names []string
	err   error
}

func (p *typeParser) fail(msg string) {
	if p.err == nil {
		p.err = fmt.Errorf("type %q at %d: %s", p.s, p.i, msg)
	}
}

func (p *typeParser) eat(tok string) bool {
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

func (p *typeParser) union() {
	p.term()
	for p.err == nil && p.eat("|") {
		p.term()
	}
}

var (
	identAt  = regexp.MustCompile(`^` + nameRE + `(?:\.` + nameRE + `)*\*?`)
	stringAt = regexp.MustCompile(`^"(?:[^"\\]|\\.)*"`)
	argAt    = regexp.MustCompile(`^(` + nameRE + `|\.\.\.)\??: `)
)

func (p *typeParser) term() {
	switch {
	case p.eat("("):
		p.union()
		if !p.eat(")") {
			p.fail("want )")
		}
	case p.eat("fun("):
		for p.err == nil && !p.eat(")") {
			m := argAt.FindString(p.s[p.i:])
			if m == "" {
				p.fail("want a parameter")
				return
			}
			p.i += len(m)
			p.union()
			if !p.eat(", ") && !strings.HasPrefix(p.s[p.i:], ")") {
				p.fail("want , or )")
			}
		}
		if p.eat(": ") {
			p.union()
		}
	case p.eat("table<"):
		p.union()
		if !p.eat(", ") {
			p.fail("want ,")
		}
		p.union()
		if !p.eat(">") {
			p.fail("want >")
		}
	case p.eat("{"):
		for p.err == nil && !p.eat("}") {
			m := argAt.FindString(p.s[p.i:])
			if m == "" {
				p.fail("want a key")
				return
			}
			p.i += len(m)
			p.union()
			if !p.eat(", ") && !strings.HasPrefix(p.s[p.i:], "}") {
				p.fail("want , or }")
			}
		}
	default:
		if m := stringAt.FindString(p.s[p.i:]); m != "" {
			p.i += len(m)
		} else if m := identAt.FindString(p.s[p.i:]); m != "" {
			p.i += len(m)
			if !builtins[m] {
				p.names = append(p.names, m)
			}
		} else {
			p.fail("want a type")
			return
		}
	}
	for p.eat("[]") {
	}
}

// TestTypeParser: the validator refuses what LuaLS would not read.
func TestTypeParser(t *testing.T) {
	for _, bad := range []string{"---@field x", "---@field x table<string>", "---@return fun(a): b", "---@param 1x string", "---@class a b", "---@return (string", "---@returns string", "---@field x string|"} {
		if _, _, err := annotation(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, names, err := annotation(`---@overload fun(self: aws.Session, service: "s3", options?: aws.ClientOptions): aws.s3.Client`); err != nil || len(names) != 3 {
		t.Errorf("overload: %v %v", names, err)
	}
}
