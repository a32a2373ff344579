package main

import (
	"encoding/json"
	"go/ast"
	"regexp"
	"strings"
)

// opDoc is what help() shows for an operation: a summary, the first
// sentence of each input member's documentation, and the required members,
// all by Go field name.
type opDoc struct {
	Summary  string            `json:"s,omitempty"`
	Members  map[string]string `json:"m,omitempty"`
	Required []string          `json:"r,omitempty"`
}

// docs reads the documentation of the operations from their doc comments
// and those of their input structs, as JSON.
func docs(p *pkgFiles, ops map[string]bool) string {
	out := map[string]*opDoc{}
	p.funcs(func(fd *ast.FuncDecl) {
		if recvType(fd) == "Client" && ops[fd.Name.Name] && fd.Doc != nil {
			d := doc(out, fd.Name.Name)
			d.Summary = summary(fd.Doc.Text(), 480)
		}
	})
	p.typeSpecs(func(ts *ast.TypeSpec) {
		op, ok := strings.CutSuffix(ts.Name.Name, "Input")
		st, isStruct := ts.Type.(*ast.StructType)
		if !ok || !ops[op] || !isStruct {
			return
		}
		d := doc(out, op)
		for _, f := range st.Fields.List {
			if len(f.Names) != 1 || !f.Names[0].IsExported() || f.Doc == nil {
				continue
			}
			name, text := f.Names[0].Name, f.Doc.Text()
			if d.Members == nil {
				d.Members = map[string]string{}
			}
			d.Members[name] = summary(text, 200)
			if strings.Contains(text, "This member is required.") {
				d.Required = append(d.Required, name)
			}
		}
	})
	b, _ := json.Marshal(out)
	return string(b)
}

func doc(m map[string]*opDoc, op string) *opDoc {
	if m[op] == nil {
		m[op] = &opDoc{}
	}
	return m[op]
}

var (
	links = regexp.MustCompile(`\[([^\]]+)\]`)
	space = regexp.MustCompile(`\s+`)
)

// summary returns the first paragraph of a doc comment as plain text, cut
// at a sentence end within max bytes.
func summary(text string, max int) string {
	para, _, _ := strings.Cut(strings.TrimSpace(text), "\n\n")
	// The SDK writes links as "see [Title]in the guide".
	para = links.ReplaceAllString(para, "$1 ")
	para = strings.TrimSpace(space.ReplaceAllString(para, " "))
	para = strings.NewReplacer(" .", ".", " ,", ",", " )", ")").Replace(para)
	if len(para) <= max {
		return para
	}
	cut := para[:max]
	if i := strings.LastIndex(cut, ". "); i > max/3 {
		return cut[:i+1]
	}
	return strings.TrimSpace(cut) + "..."
}
