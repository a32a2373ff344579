package bindings

import (
	"context"
	"errors"
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// ErrIncomplete is returned by Eval for input that is not finished yet: an
// open block, bracket or string. A REPL reads another line.
var ErrIncomplete = errors.New("incomplete input")

// A SyntaxError is interactive input that cannot parse, and cannot become
// valid by reading more lines.
type SyntaxError struct {
	Message string // the parser's, without its padding
	// Hint is a likely fix, the whole input rewritten ("s3:list_buckets()"),
	// or "".
	Hint string
}

func (e *SyntaxError) Error() string {
	if e.Hint != "" {
		return fmt.Sprintf("%s; did you mean %s?", e.Message, e.Hint)
	}
	return e.Message
}

// Eval runs one piece of interactive input: first as an expression, whose
// values it returns, then as a statement. A local declared at the top of
// the input outlives it, as a REPL's user expects: it is a global.
func (r *Runtime) Eval(ctx context.Context, src string) ([]lua.LValue, error) {
	L := r.L
	fn, err := compileInput(L, src)
	if err != nil {
		return nil, err
	}
	ctx, done := r.start(ctx)
	defer done()
	L.SetContext(ctx)
	defer L.RemoveContext()
	top := L.GetTop()
	L.Push(fn)
	err = L.PCall(0, lua.MultRet, nil)
	if exit := r.exited(); exit != nil {
		L.SetTop(top)
		return nil, exit
	}
	if err != nil {
		L.SetTop(top)
		return nil, scriptError(L, ctx, err)
	}
	results := make([]lua.LValue, L.GetTop()-top)
	for i := range results {
		results[i] = L.Get(top + 1 + i)
	}
	L.SetTop(top)
	return results, nil
}

// compileInput compiles interactive input, through the same compiler as
// Load, returning ErrIncomplete or a *SyntaxError when it does not parse.
func compileInput(L *lua.LState, src string) (*lua.LFunction, error) {
	if chunk, err := parse.Parse(strings.NewReader("return "+src), "stdin"); err == nil {
		return compile(L, chunk, "stdin")
	}
	chunk, err := parse.Parse(strings.NewReader(src), "stdin")
	if err != nil {
		if Incomplete(src) {
			return nil, ErrIncomplete
		}
		return nil, &SyntaxError{Message: syntaxMessage(err), Hint: hint(src)}
	}
	return compile(L, globalLocals(chunk), "stdin")
}

// syntaxMessage says where the parser stopped, in words.
func syntaxMessage(err error) string {
	var pe *parse.Error
	if !errors.As(err, &pe) {
		return strings.TrimSpace(err.Error())
	}
	msg := strings.Replace(pe.Message, "parse error", "syntax error", 1)
	if pe.Pos.Line == parse.EOF {
		return msg + " at the end of the input"
	}
	return fmt.Sprintf("%s near '%s' (line %d, column %d)", msg, pe.Token, pe.Pos.Line, pe.Pos.Column)
}

// Incomplete reports whether src fails to parse only because it ends too
// soon: it ends inside a string or long comment, or with a block or
// bracket still open. Input that fails anywhere else, or that is closed
// at its end (x = 1; x), would fail whatever follows.
func Incomplete(src string) bool {
	_, err := parse.Parse(strings.NewReader(src), "stdin")
	var pe *parse.Error
	if !errors.As(err, &pe) || pe.Pos.Line != parse.EOF {
		return false
	}
	toks, err := tokens(src)
	if err != nil {
		// The scanner stops at EOF only inside a string or comment.
		return errors.As(err, &pe) && pe.Pos.Line == parse.EOF
	}
	var open []int // the kinds of the blocks and brackets open
	for _, t := range toks {
		switch t.Type {
		case parse.TFunction, parse.TIf, parse.TRepeat, parse.TWhile, parse.TFor, '(', '[', '{':
			open = append(open, t.Type)
		case parse.TDo:
			// The do of a while or for opens no block of its own.
			if n := len(open); n == 0 || open[n-1] != parse.TWhile && open[n-1] != parse.TFor {
				open = append(open, t.Type)
			}
		case parse.TEnd, parse.TUntil, ')', ']', '}':
			if len(open) == 0 {
				return false
			}
			open = open[:len(open)-1]
		}
	}
	return len(open) > 0
}

// A token of interactive input, with its byte offset.
type token struct {
	ast.Token
	offset int
}

// tokens scans src with the parser's own scanner.
func tokens(src string) ([]token, error) {
	lineStart := []int{0}
	for i, c := range src {
		if c == '\n' {
			lineStart = append(lineStart, i+1)
		}
	}
	sc := parse.NewScanner(strings.NewReader(src), "stdin")
	var out []token
	for {
		t, err := sc.Scan(&parse.Lexer{})
		if err != nil {
			return out, err
		}
		if t.Type == parse.EOF {
			return out, nil
		}
		off := 0
		if t.Pos.Line >= 1 && t.Pos.Line <= len(lineStart) {
			off = min(len(src), lineStart[t.Pos.Line-1]+max(0, t.Pos.Column-1))
		}
		out = append(out, token{t, off})
	}
}

// hint returns input close to src that parses, the likely meaning of
// input that does not: a method named but not called (s3:list_buckets),
// or statements that end with an expression (x = 1; x), whose value a
// return shows.
func hint(src string) string {
	src = strings.TrimSpace(src)
	toks, err := tokens(src)
	if err != nil || len(toks) == 0 {
		return ""
	}
	parses := func(s string) bool {
		_, err := parse.Parse(strings.NewReader(s), "stdin")
		return err == nil
	}
	if n := len(toks); n >= 2 && toks[n-2].Type == ':' && toks[n-1].Type == parse.TIdent && parses(src+"()") {
		return src + "()"
	}
	// return must end a block: try it before each of the last statements.
	for i := len(toks) - 1; i > 0 && i >= len(toks)-64; i-- {
		if s := src[:toks[i].offset] + "return " + src[toks[i].offset:]; parses(s) {
			return s
		}
	}
	return ""
}

// globalLocals turns the input's top-level local statements into
// assignments of globals, so that a local typed at the prompt is there on
// the next line; those inside blocks and functions stay local.
func globalLocals(chunk []ast.Stmt) []ast.Stmt {
	for i, s := range chunk {
		// local function f is a LocalAssignStmt too.
		if s, ok := s.(*ast.LocalAssignStmt); ok {
			lhs := make([]ast.Expr, len(s.Names))
			for j, name := range s.Names {
				id := &ast.IdentExpr{Value: name}
				id.SetLine(s.Line())
				id.SetLastLine(s.Line())
				lhs[j] = id
			}
			rhs := s.Exprs
			if len(rhs) == 0 {
				nilExpr := &ast.NilExpr{}
				nilExpr.SetLine(s.Line())
				nilExpr.SetLastLine(s.Line())
				rhs = []ast.Expr{nilExpr}
			}
			a := &ast.AssignStmt{Lhs: lhs, Rhs: rhs}
			a.SetLine(s.Line())
			a.SetLastLine(s.LastLine())
			chunk[i] = a
		}
	}
	return chunk
}
