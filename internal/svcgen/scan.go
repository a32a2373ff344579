package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// serviceInfo is what the template writes for one service.
type serviceInfo struct {
	Name, ID, Import string
	Operations       []string
	Paginators       []paginator
	Waiters          []waiter
	Presigners       []presigner
	Errors           []modeledError
	Unions           []union
	Members          []memberNames
	Document         bool
	Docs             string // JSON, see docs.go
}

// UsesTypes reports whether the generated file refers to the types package.
func (s *serviceInfo) UsesTypes() bool {
	if len(s.Errors) > 0 || len(s.Unions) > 0 {
		return true
	}
	for _, m := range s.Members {
		if strings.HasPrefix(m.Type, "types.") {
			return true
		}
	}
	return false
}

type paginator struct {
	Operation                 string
	InputTokens, OutputTokens []string
	LimitKey, MoreResults     string
}

type waiter struct{ Name, Operation string }

type presigner struct {
	Operation string
	Expires   bool
}

type modeledError struct{ Code, Type string }

type union struct {
	Name    string
	Members []struct{ Name, Type string }
}

type memberNames struct {
	Type   string // "api.ListClustersOutput" or "types.Cluster"
	Fields []struct{ Field, Name string }
}

// pkgFiles is one parsed Go package.
type pkgFiles struct {
	qual  string // how generated code names the package: "api" or "types"
	files []*ast.File
}

func parseDir(dir, qual string) (*pkgFiles, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	p := &pkgFiles{qual: qual}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution|parser.ParseComments)
		if err != nil {
			return nil, err
		}
		p.files = append(p.files, f)
	}
	return p, nil
}

func (p *pkgFiles) funcs(yield func(*ast.FuncDecl)) {
	for _, f := range p.files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				yield(fd)
			}
		}
	}
}

func (p *pkgFiles) typeSpecs(yield func(*ast.TypeSpec)) {
	for _, f := range p.files {
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, s := range gd.Specs {
					yield(s.(*ast.TypeSpec))
				}
			}
		}
	}
}

func scan(name, pkg, dir string) (*serviceInfo, error) {
	main, err := parseDir(dir, "api")
	if err != nil {
		return nil, err
	}
	types, err := parseDir(filepath.Join(dir, "types"), "types")
	if err != nil {
		return nil, err
	}
	info := &serviceInfo{Name: name, Import: sdkPrefix + pkg}
	if st, err := os.Stat(filepath.Join(dir, "document")); err == nil && st.IsDir() {
		info.Document = true
	}
	info.ID = serviceID(main)
	if info.ID == "" {
		return nil, errors.New("no ServiceID constant")
	}
	ops := operations(main)
	if len(ops) == 0 {
		return nil, errors.New("no operations found on *Client")
	}
	for op := range ops {
		info.Operations = append(info.Operations, op)
	}
	sort.Strings(info.Operations)
	if info.Paginators, err = paginators(main, ops); err != nil {
		return nil, err
	}
	info.Docs = docs(main, ops)
	info.Waiters = waiters(main, ops)
	info.Presigners = presigners(main, ops)
	info.Errors = modeledErrors(types)
	info.Unions = unions(types)
	schemaNames := map[string]string{}
	if sd, err := parseDir(filepath.Join(dir, "schemas"), "schemas"); err == nil {
		schemaNames = schemaMembers(sd)
	}
	info.Members = append(memberRenames(main, schemaNames), memberRenames(types, schemaNames)...)
	sort.Slice(info.Members, func(i, j int) bool { return info.Members[i].Type < info.Members[j].Type })
	return info, nil
}

func serviceID(p *pkgFiles) string {
	for _, f := range p.files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				if len(vs.Names) == 1 && vs.Names[0].Name == "ServiceID" && len(vs.Values) == 1 {
					if lit, ok := vs.Values[0].(*ast.BasicLit); ok {
						id, _ := strconv.Unquote(lit.Value)
						return id
					}
				}
			}
		}
	}
	return ""
}

// recvType returns the name of a method's receiver type, without the star.
func recvType(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) != 1 {
		return ""
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// starIdent returns X for the type expression *X.
func starIdent(e ast.Expr) string {
	if s, ok := e.(*ast.StarExpr); ok {
		if id, ok := s.X.(*ast.Ident); ok {
			return id.Name
		}
	}
	return ""
}

// operations finds the methods func (c *Client) Op(ctx, *OpInput, ...func(*Options)) (*OpOutput, error).
func operations(p *pkgFiles) map[string]bool {
	ops := map[string]bool{}
	p.funcs(func(fd *ast.FuncDecl) {
		if recvType(fd) != "Client" || !fd.Name.IsExported() {
			return
		}
		params, results := fd.Type.Params.List, fd.Type.Results
		if len(params) != 3 || results == nil || len(results.List) != 2 {
			return
		}
		op := fd.Name.Name
		if starIdent(params[1].Type) == op+"Input" && starIdent(results.List[0].Type) == op+"Output" {
			ops[op] = true
		}
	})
	return ops
}

// selectorPath returns "result.A.B" for the expression result.A.B.
func selectorPath(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x := selectorPath(e.X); x != "" {
			return x + "." + e.Sel.Name
		}
	}
	return ""
}

// paginators reads each NextPage method: which input members take which
// paginator fields (params.X = p.f), which output members fill them
// (p.f = result.Y), which member takes the limit, and which output member a
// condition tests for more results.
func paginators(p *pkgFiles, ops map[string]bool) ([]paginator, error) {
	var out []paginator
	var err error
	p.funcs(func(fd *ast.FuncDecl) {
		if fd.Name.Name != "NextPage" || !strings.HasSuffix(recvType(fd), "Paginator") {
			return
		}
		var op, limit string
		var inOrder []string
		in, outTok := map[string]string{}, map[string]string{}
		var conds []string
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if len(n.Lhs) != 1 || len(n.Rhs) != 1 {
					break
				}
				lhs, rhs := selectorPath(n.Lhs[0]), n.Rhs[0]
				if c, ok := rhs.(*ast.CallExpr); ok && len(c.Args) == 1 {
					if id, ok := c.Args[0].(*ast.Ident); ok && id.Name == "limit" {
						rhs = id
					}
				}
				r := selectorPath(rhs)
				switch {
				case strings.HasPrefix(lhs, "params.") && r == "limit":
					limit = strings.TrimPrefix(lhs, "params.")
				case strings.HasPrefix(lhs, "params.") && strings.HasPrefix(r, "p.") && strings.Count(r, ".") == 1:
					in[r] = strings.TrimPrefix(lhs, "params.")
					inOrder = append(inOrder, r)
				case strings.HasPrefix(lhs, "p.") && strings.HasPrefix(r, "result."):
					outTok[lhs] = strings.TrimPrefix(r, "result.")
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && selectorPath(sel.X) == "p.client" {
					op = sel.Sel.Name
				}
			case *ast.IfStmt:
				ast.Inspect(n.Cond, func(c ast.Node) bool {
					if s := selectorPath(asExpr(c)); strings.HasPrefix(s, "result.") {
						conds = append(conds, strings.TrimPrefix(s, "result."))
						return false
					}
					return true
				})
			}
			return true
		})
		if !ops[op] {
			err = fmt.Errorf("paginator %s calls unknown operation %q", recvType(fd), op)
			return
		}
		pg := paginator{Operation: op, LimitKey: limit}
		for _, f := range inOrder {
			o, ok := outTok[f]
			if !ok {
				// A handwritten paginator whose next token is computed
				// (Kinesis DescribeStream takes the last shard's id) is
				// not data this engine can run.
				log.Printf("skipping the paginator of %s: no output member fills %s", op, f)
				return
			}
			pg.InputTokens = append(pg.InputTokens, in[f])
			pg.OutputTokens = append(pg.OutputTokens, o)
		}
		if len(pg.InputTokens) == 0 {
			err = fmt.Errorf("paginator for %s: no input token found", op)
			return
		}
	conds:
		for _, c := range conds {
			for _, o := range pg.OutputTokens {
				if strings.HasPrefix(o, c+".") || o == c {
					continue conds // a nil check of the token's parent
				}
			}
			pg.MoreResults = c
		}
		out = append(out, pg)
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Operation < out[j].Operation })
	return out, err
}

func asExpr(n ast.Node) ast.Expr {
	e, _ := n.(ast.Expr)
	return e
}

// waiters finds func (w *XWaiter) Wait(ctx, params *OpInput, maxWaitDur, ...).
func waiters(p *pkgFiles, ops map[string]bool) []waiter {
	var out []waiter
	p.funcs(func(fd *ast.FuncDecl) {
		recv := recvType(fd)
		if fd.Name.Name != "Wait" || !strings.HasSuffix(recv, "Waiter") || len(fd.Type.Params.List) < 2 {
			return
		}
		op := strings.TrimSuffix(starIdent(fd.Type.Params.List[1].Type), "Input")
		if ops[op] {
			out = append(out, waiter{Name: strings.TrimSuffix(recv, "Waiter"), Operation: op})
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// presigners finds func (c *PresignClient) PresignOp(ctx, params *OpInput, ...).
func presigners(p *pkgFiles, ops map[string]bool) []presigner {
	expires := false
	p.typeSpecs(func(ts *ast.TypeSpec) {
		if st, ok := ts.Type.(*ast.StructType); ok && ts.Name.Name == "PresignOptions" {
			for _, f := range st.Fields.List {
				for _, n := range f.Names {
					expires = expires || n.Name == "Expires"
				}
			}
		}
	})
	var out []presigner
	p.funcs(func(fd *ast.FuncDecl) {
		if recvType(fd) != "PresignClient" || len(fd.Type.Params.List) < 2 {
			return
		}
		op, ok := strings.CutPrefix(fd.Name.Name, "Presign")
		if ok && ops[op] && starIdent(fd.Type.Params.List[1].Type) == op+"Input" {
			out = append(out, presigner{Operation: op, Expires: expires})
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Operation < out[j].Operation })
	return out
}

// modeledErrors finds func (e *T) ErrorCode() string and the code literal it returns.
func modeledErrors(p *pkgFiles) []modeledError {
	var out []modeledError
	p.funcs(func(fd *ast.FuncDecl) {
		if fd.Name.Name != "ErrorCode" || recvType(fd) == "" {
			return
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
				if lit, ok := r.Results[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					code, _ := strconv.Unquote(lit.Value)
					out = append(out, modeledError{Code: code, Type: recvType(fd)})
					return false
				}
			}
			return true
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// unions finds interfaces with one unexported marker method isX() and the
// member types XMemberY that implement it.
func unions(p *pkgFiles) []union {
	markers := map[string]string{} // marker method -> union name
	p.typeSpecs(func(ts *ast.TypeSpec) {
		it, ok := ts.Type.(*ast.InterfaceType)
		if !ok || len(it.Methods.List) != 1 || len(it.Methods.List[0].Names) != 1 {
			return
		}
		if m := it.Methods.List[0].Names[0].Name; m == "is"+ts.Name.Name {
			markers[m] = ts.Name.Name
		}
	})
	byName := map[string]*union{}
	p.funcs(func(fd *ast.FuncDecl) {
		u, ok := markers[fd.Name.Name]
		recv := recvType(fd)
		if !ok || recv == "UnknownUnionMember" {
			return
		}
		member, ok := strings.CutPrefix(recv, u+"Member")
		if !ok {
			return
		}
		if byName[u] == nil {
			byName[u] = &union{Name: u}
		}
		byName[u].Members = append(byName[u].Members, struct{ Name, Type string }{member, recv})
	})
	var out []union
	for _, u := range byName {
		sort.Slice(u.Members, func(i, j int) bool { return u.Members[i].Name < u.Members[j].Name })
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// schemaMembers reads `X_y = X.AddMember("y", ...)` from a schemas package:
// schema variable name to the API's member name.
func schemaMembers(p *pkgFiles) map[string]string {
	names := map[string]string{}
	p.funcs(func(fd *ast.FuncDecl) {
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
				return true
			}
			call, ok := as.Rhs[0].(*ast.CallExpr)
			if !ok || len(call.Args) < 1 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "AddMember" {
				if lit, ok := call.Args[0].(*ast.BasicLit); ok {
					names[selectorPath(as.Lhs[0])], _ = strconv.Unquote(lit.Value)
				}
			}
			return false
		})
	})
	return names
}

// memberRenames finds the structure members whose API name differs from the
// Go field name only in case (camelCase APIs: ECS clusterArns, Glacier
// vaultName). It reads two kinds of code: schema-based serializers (methods
// on the type that pair v.Field with schemas.X_y) and the older JSON
// serializers and deserializers (functions of v *T that pair v.Field or
// sv.Field with object.Key("y") or case "y").
func memberRenames(p *pkgFiles, schema map[string]string) []memberNames {
	renames := map[string]map[string]string{}
	p.funcs(func(fd *ast.FuncDecl) {
		typ := ""
		if r := recvType(fd); r != "" {
			if fd.Name.Name == "SerializeMembers" || fd.Name.Name == "Deserialize" {
				typ = p.qual + "." + r
			}
		} else if n := fd.Name.Name; strings.HasPrefix(n, "awsAwsjson") || strings.HasPrefix(n, "awsRestjson1_") {
			typ = paramType(fd, p.qual)
		}
		if typ == "" {
			return
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			var block ast.Node
			switch n := n.(type) {
			case *ast.IfStmt, *ast.CaseClause, *ast.ExprStmt:
				block = n
			default:
				return true
			}
			var fields, names []string
			ast.Inspect(block, func(m ast.Node) bool {
				switch m := m.(type) {
				case *ast.SelectorExpr:
					switch x := selectorPath(m.X); {
					case x == "v" || x == "sv":
						fields = append(fields, m.Sel.Name)
					case x == "schemas":
						if name, ok := schema["schemas."+m.Sel.Name]; ok {
							names = append(names, name)
						} else if name, ok := schema[m.Sel.Name]; ok {
							names = append(names, name)
						}
					}
				case *ast.CallExpr:
					if sel, ok := m.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Key" || sel.Sel.Name == "SetURI") && len(m.Args) == 1 {
						if lit, ok := m.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							s, _ := strconv.Unquote(lit.Value)
							names = append(names, s)
						}
					}
				}
				return true
			})
			if c, ok := block.(*ast.CaseClause); ok {
				for _, e := range c.List {
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						names = append(names, s)
					}
				}
			}
			for _, f := range fields {
				for _, nm := range names {
					if nm != f && strings.EqualFold(nm, f) {
						if renames[typ] == nil {
							renames[typ] = map[string]string{}
						}
						renames[typ][f] = nm
					}
				}
			}
			return true
		})
	})
	var out []memberNames
	for typ, fields := range renames {
		m := memberNames{Type: typ}
		for f, n := range fields {
			m.Fields = append(m.Fields, struct{ Field, Name string }{f, n})
		}
		sort.Slice(m.Fields, func(i, j int) bool { return m.Fields[i].Field < m.Fields[j].Field })
		out = append(out, m)
	}
	return out
}

// paramType returns the qualified type of a serializer's first parameter v:
// *T, **T, *types.T or **types.T.
func paramType(fd *ast.FuncDecl, qual string) string {
	params := fd.Type.Params.List
	if len(params) == 0 || len(params[0].Names) == 0 || params[0].Names[0].Name != "v" {
		return ""
	}
	t := params[0].Type
	for {
		s, ok := t.(*ast.StarExpr)
		if !ok {
			break
		}
		t = s.X
	}
	switch t := t.(type) {
	case *ast.Ident:
		if t.IsExported() {
			return qual + "." + t.Name
		}
	case *ast.SelectorExpr:
		if x, ok := t.X.(*ast.Ident); ok && x.Name == "types" {
			return "types." + t.Sel.Name
		}
	}
	return ""
}
