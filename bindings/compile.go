package bindings

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// gopher-lua v1.1.2 compiles a generic for wrongly. It assigns the values
// of the expression list to the three hidden registers as if the loop's
// own names were the targets, so that with fewer names or expressions than
// three the hidden state and control registers keep whatever an earlier
// loop left there (a loop left with break and entered again resumed where
// it was; a nested one called a stale value: "attempt to call a
// non-function object", or an index out of range in the VM), and an
// expression that indexes a call's result (s3:Bucket("b").objects:all())
// is compiled over the registers it is still using. Every chunk awslua
// compiles therefore goes through Load, which rewrites each generic for
// into the expansion the Lua 5.1 manual gives (§2.4.5) before compiling:
//
//	do
//	  local f, s, var = explist
//	  while true do
//	    local var_1, ..., var_n = f(s, var)
//	    if var_1 == nil then break end
//	    var = var_1
//	    block
//	  end
//	end
//
// A local assignment pads and truncates to its names correctly, and the
// while body gives closures a fresh copy of the loop's variables on each
// iteration, as Lua 5.1 does.

// The hidden locals are named so that no Lua identifier can be one of
// them: a script cannot see them, and nested loops shadow each other's.
const (
	hiddenF   = "(for f)"
	hiddenS   = "(for s)"
	hiddenVar = "(for var)"
)

// Load compiles a chunk of Lua from r as every chunk the runtime runs is
// compiled, with gopher-lua's generic for miscompilation fixed (see
// above); name is how errors refer to it. A program that opens the aws
// module in its own state (Open) and runs a script with L.DoString should
// compile it with Load instead, then call it with L.PCall.
func Load(L *lua.LState, r io.Reader, name string) (*lua.LFunction, error) {
	chunk, err := parse.Parse(r, name)
	if err != nil {
		return nil, &lua.ApiError{Type: lua.ApiErrorSyntax, Object: lua.LString(err.Error()), Cause: err}
	}
	return compile(L, chunk, name)
}

// compile compiles a parsed chunk as Load does.
func compile(L *lua.LState, chunk []ast.Stmt, name string) (*lua.LFunction, error) {
	proto, err := lua.Compile(rewriteStmts(chunk), name)
	if err != nil {
		return nil, &lua.ApiError{Type: lua.ApiErrorSyntax, Object: lua.LString(err.Error()), Cause: err}
	}
	return L.NewFunctionFromProto(proto), nil
}

// Parse parses a chunk of Lua source as the runtime does before it runs
// it, a first line that starts with # (a shebang) skipped as a file's is,
// and returns its statements as written (its loops not rewritten): a
// chunk that Parse accepts, Load compiles. Tools that read scripts
// without running them (awslua check) start here.
func Parse(src []byte, name string) ([]ast.Stmt, error) {
	src = skipShebang(src)
	chunk, err := parse.Parse(bytes.NewReader(src), name)
	if err != nil {
		return nil, err
	}
	// gopher-lua's compiler refuses a few chunks its parser accepts (a
	// ... outside a vararg function); the rewrite changes the tree in
	// place, so it compiles a second parse.
	again, err := parse.Parse(bytes.NewReader(src), name)
	if err == nil {
		_, err = lua.Compile(rewriteStmts(again), name)
	}
	if err != nil {
		return nil, err
	}
	return chunk, nil
}

// loadFile is Load of a file, whose first line is skipped when it starts
// with # (a shebang), as the lua command does; the line stays as an empty
// one, so that line numbers stay right.
func loadFile(L *lua.LState, path string) (*lua.LFunction, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, &lua.ApiError{Type: lua.ApiErrorFile, Object: lua.LString(err.Error()), Cause: err}
	}
	return Load(L, bytes.NewReader(skipShebang(src)), path)
}

// skipShebang blanks a first line that starts with #.
func skipShebang(src []byte) []byte {
	if !bytes.HasPrefix(src, []byte("#")) {
		return src
	}
	if i := bytes.IndexByte(src, '\n'); i >= 0 {
		return src[i:]
	}
	return nil
}

// installLoaders replaces the functions through which scripts compile
// Lua (loadstring, load, loadfile, dofile and require's loader of Lua
// files) with ones that compile through Load. Only those L already has
// are replaced, so that no library a runtime left out comes back.
func installLoaders(L *lua.LState) {
	replace := func(name string, fn lua.LGFunction) {
		if L.GetGlobal(name) != lua.LNil {
			L.SetGlobal(name, L.NewFunction(fn))
		}
	}
	loaded := func(L *lua.LState, fn *lua.LFunction, err error) int {
		if err != nil {
			L.Push(lua.LNil)
			L.Push(lua.LString(err.Error()))
			return 2
		}
		L.Push(fn)
		return 1
	}
	replace("loadstring", func(L *lua.LState) int {
		fn, err := Load(L, strings.NewReader(L.CheckString(1)), L.OptString(2, "<string>"))
		return loaded(L, fn, err)
	})
	replace("load", func(L *lua.LState) int {
		// load(f) calls f until it returns nil or "", as Lua 5.1 does.
		reader := L.CheckFunction(1)
		name := L.OptString(2, "(load)")
		var b strings.Builder
		for {
			L.Push(reader)
			L.Call(0, 1)
			piece := L.Get(-1)
			L.Pop(1)
			if piece == lua.LNil {
				break
			}
			s, ok := piece.(lua.LString)
			if !ok {
				if n, isNum := piece.(lua.LNumber); isNum {
					s, ok = lua.LString(n.String()), true
				}
			}
			if !ok {
				L.Push(lua.LNil)
				L.Push(lua.LString("reader function must return a string"))
				return 2
			}
			if s == "" {
				break
			}
			b.WriteString(string(s))
		}
		fn, err := Load(L, strings.NewReader(b.String()), name)
		return loaded(L, fn, err)
	})
	replace("loadfile", func(L *lua.LState) int {
		if L.GetTop() == 0 {
			src, err := io.ReadAll(os.Stdin)
			if err != nil {
				return loaded(L, nil, err)
			}
			fn, err := Load(L, bytes.NewReader(skipShebang(src)), "<stdin>")
			return loaded(L, fn, err)
		}
		fn, err := loadFile(L, L.CheckString(1))
		return loaded(L, fn, err)
	})
	replace("dofile", func(L *lua.LState) int {
		fn, err := loadFile(L, L.CheckString(1))
		if err != nil {
			L.RaiseError("%s", err.Error())
		}
		top := L.GetTop()
		L.Push(fn)
		L.Call(0, lua.MultRet)
		return L.GetTop() - top
	})
	pkg, ok := L.GetGlobal("package").(*lua.LTable)
	if !ok {
		return
	}
	loaders, ok := L.GetField(pkg, "loaders").(*lua.LTable)
	if !ok || loaders.Len() < 2 {
		return
	}
	// gopher-lua's loaders are the preload table's and then Lua files'.
	loaders.RawSetInt(2, L.NewFunction(func(L *lua.LState) int {
		name := L.CheckString(1)
		path, tried := findModule(lua.LVAsString(L.GetField(pkg, "path")), name)
		if path == "" {
			L.Push(lua.LString(tried))
			return 1
		}
		fn, err := loadFile(L, path)
		if err != nil {
			L.RaiseError("error loading module '%s' from file '%s': %s", name, path, err.Error())
		}
		L.Push(fn)
		return 1
	}))
}

// findModule looks for module name on a package.path, as Lua 5.1's
// searcher does; when no file is there it returns what it tried, in Lua's
// words, for require's message.
func findModule(path, name string) (string, string) {
	file := strings.ReplaceAll(name, ".", string(filepath.Separator))
	var tried strings.Builder
	for _, template := range strings.Split(path, ";") {
		if template == "" {
			continue
		}
		candidate := strings.ReplaceAll(template, "?", file)
		if f, err := os.Open(candidate); err == nil {
			f.Close()
			return candidate, ""
		}
		fmt.Fprintf(&tried, "\n\tno file '%s'", candidate)
	}
	return "", tried.String()
}

// rewriteStmts rewrites the generic for statements in stmts and in
// everything they hold, functions included.
func rewriteStmts(stmts []ast.Stmt) []ast.Stmt {
	for i, s := range stmts {
		stmts[i] = rewriteStmt(s)
	}
	return stmts
}

func rewriteStmt(s ast.Stmt) ast.Stmt {
	switch s := s.(type) {
	case *ast.AssignStmt:
		rewriteExprs(s.Lhs)
		rewriteExprs(s.Rhs)
	case *ast.LocalAssignStmt:
		rewriteExprs(s.Exprs)
	case *ast.FuncCallStmt:
		rewriteExpr(s.Expr)
	case *ast.DoBlockStmt:
		rewriteStmts(s.Stmts)
	case *ast.WhileStmt:
		rewriteExpr(s.Condition)
		rewriteStmts(s.Stmts)
	case *ast.RepeatStmt:
		rewriteExpr(s.Condition)
		rewriteStmts(s.Stmts)
	case *ast.IfStmt:
		rewriteExpr(s.Condition)
		rewriteStmts(s.Then)
		rewriteStmts(s.Else)
	case *ast.NumberForStmt:
		rewriteExpr(s.Init)
		rewriteExpr(s.Limit)
		rewriteExpr(s.Step)
		rewriteStmts(s.Stmts)
	case *ast.FuncDefStmt:
		rewriteExpr(s.Func)
	case *ast.ReturnStmt:
		rewriteExprs(s.Exprs)
	case *ast.GenericForStmt:
		rewriteExprs(s.Exprs)
		rewriteStmts(s.Stmts)
		return expandGenericFor(s)
	}
	return s
}

func rewriteExprs(exprs []ast.Expr) {
	for _, e := range exprs {
		rewriteExpr(e)
	}
}

// rewriteExpr rewrites the loops in the functions e holds.
func rewriteExpr(e ast.Expr) {
	switch e := e.(type) {
	case *ast.FunctionExpr:
		rewriteStmts(e.Stmts)
	case *ast.AttrGetExpr:
		rewriteExpr(e.Object)
		rewriteExpr(e.Key)
	case *ast.TableExpr:
		for _, f := range e.Fields {
			rewriteExpr(f.Key)
			rewriteExpr(f.Value)
		}
	case *ast.FuncCallExpr:
		rewriteExpr(e.Func)
		rewriteExpr(e.Receiver)
		rewriteExprs(e.Args)
	case *ast.LogicalOpExpr:
		rewriteExpr(e.Lhs)
		rewriteExpr(e.Rhs)
	case *ast.RelationalOpExpr:
		rewriteExpr(e.Lhs)
		rewriteExpr(e.Rhs)
	case *ast.StringConcatOpExpr:
		rewriteExpr(e.Lhs)
		rewriteExpr(e.Rhs)
	case *ast.ArithmeticOpExpr:
		rewriteExpr(e.Lhs)
		rewriteExpr(e.Rhs)
	case *ast.UnaryMinusOpExpr:
		rewriteExpr(e.Expr)
	case *ast.UnaryNotOpExpr:
		rewriteExpr(e.Expr)
	case *ast.UnaryLenOpExpr:
		rewriteExpr(e.Expr)
	}
}

// expandGenericFor returns the expansion of a generic for whose parts are
// rewritten already. Every node it makes has the loop's line, so that an
// error in calling the iterator names the line of the for.
func expandGenericFor(s *ast.GenericForStmt) ast.Stmt {
	line, last := s.Line(), s.LastLine()
	at := func(n ast.PositionHolder) {
		n.SetLine(line)
		n.SetLastLine(last)
	}
	ident := func(name string) *ast.IdentExpr {
		e := &ast.IdentExpr{Value: name}
		at(e)
		return e
	}

	hidden := &ast.LocalAssignStmt{Names: []string{hiddenF, hiddenS, hiddenVar}, Exprs: s.Exprs}
	call := &ast.FuncCallExpr{Func: ident(hiddenF), Args: []ast.Expr{ident(hiddenS), ident(hiddenVar)}}
	vars := &ast.LocalAssignStmt{Names: s.Names, Exprs: []ast.Expr{call}}
	null := &ast.NilExpr{}
	isNil := &ast.RelationalOpExpr{Operator: "==", Lhs: ident(s.Names[0]), Rhs: null}
	brk := &ast.BreakStmt{}
	stop := &ast.IfStmt{Condition: isNil, Then: []ast.Stmt{brk}}
	step := &ast.AssignStmt{Lhs: []ast.Expr{ident(hiddenVar)}, Rhs: []ast.Expr{ident(s.Names[0])}}
	// The block keeps a scope of its own, as the for's body has: a local
	// it declares ends with it.
	body := &ast.DoBlockStmt{Stmts: s.Stmts}
	always := &ast.TrueExpr{}
	loop := &ast.WhileStmt{Condition: always, Stmts: []ast.Stmt{vars, stop, step, body}}
	block := &ast.DoBlockStmt{Stmts: []ast.Stmt{hidden, loop}}
	for _, n := range []ast.PositionHolder{hidden, call, vars, null, isNil, brk, stop, step, always, loop, block} {
		at(n)
	}
	body.SetLine(line)
	body.SetLastLine(last)
	return block
}
