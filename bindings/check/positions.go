package check

import (
	"bytes"
	"fmt"

	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// gopher-lua's parser keeps the line of a node, not its column, and
// findings point at columns: the check lexes the script again and finds
// each finding's token among the tokens of its line, or, inside a table
// literal, by following the literal's fields token by token.

// tokens are a script's tokens in order, with where each line's start.
type tokens struct {
	all    []ast.Token
	byLine map[int][]int
}

// tokenize lexes src, which parsed already, so the lexer does not fail.
func tokenize(src []byte, name string) *tokens {
	t := &tokens{byLine: map[int][]int{}}
	if bytes.HasPrefix(src, []byte("#")) {
		// The shebang line is skipped, and the columns of the others
		// kept.
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			src = src[i:]
		} else {
			src = nil
		}
	}
	sc := parse.NewScanner(bytes.NewReader(src), name)
	lx := &parse.Lexer{}
	for {
		tok, err := sc.Scan(lx)
		if err != nil || tok.Type < 0 {
			return t
		}
		t.byLine[tok.Pos.Line] = append(t.byLine[tok.Pos.Line], len(t.all))
		t.all = append(t.all, tok)
	}
}

// find returns the index of the first token of line whose text is text
// (not a string literal's, when text names something), -1 for none.
func (t *tokens) find(line int, text string) int {
	for _, i := range t.byLine[line] {
		if t.all[i].Str == text {
			return i
		}
	}
	return -1
}

// place is where a finding points.
type place struct {
	line, col int
}

// at is the place of token i.
func (t *tokens) at(i int) place { return place{t.all[i].Pos.Line, t.all[i].Pos.Column} }

// near is the place of text on line, or of the line's first token.
func (t *tokens) near(line int, text string) place {
	if i := t.find(line, text); i >= 0 {
		return t.at(i)
	}
	if toks := t.byLine[line]; len(toks) > 0 {
		return t.at(toks[0])
	}
	return place{line, 1}
}

// report adds a finding at text on line.
func (c *checker) report(line int, text string, format string, args ...any) {
	c.reportAt(c.tokens.near(line, text), format, args...)
}

func (c *checker) reportAt(p place, format string, args ...any) {
	if !c.collect {
		return
	}
	c.rep.Findings = append(c.rep.Findings, Finding{File: c.file, Line: p.line, Col: p.col, Message: fmt.Sprintf(format, args...)})
}

// argTable returns the index of the { that opens the table argument of a
// call (s3:op{...} or s3:op({...})), -1 when it cannot tell.
func (t *tokens) argTable(e *ast.FuncCallExpr) int {
	i := t.find(e.Line(), callName(e))
	if i < 0 {
		return -1
	}
	i++
	if i < len(t.all) && t.all[i].Type == '(' {
		i++
	}
	if i < len(t.all) && t.all[i].Type == '{' {
		return i
	}
	return -1
}

// A field is where a field of a table literal is written: its key's token
// (-1 for a positional field) and its value's first token.
type field struct{ key, value int }

// opens and closes are the tokens that nest: brackets, and the keywords
// of blocks (a function's body in a table may hold commas).
var (
	opens  = map[string]bool{"{": true, "(": true, "[": true, "function": true, "if": true, "do": true, "repeat": true}
	closes = map[string]bool{"}": true, ")": true, "]": true, "end": true, "until": true}
)

// fields splits the table literal whose { is token open into its fields;
// false when the tokens do not read as a table.
func (t *tokens) fields(open int) ([]field, bool) {
	if open < 0 || open >= len(t.all) || t.all[open].Type != '{' {
		return nil, false
	}
	var out []field
	start, depth := open+1, 0
	for i := open + 1; i < len(t.all); i++ {
		tok := t.all[i]
		if tok.Type == parse.TString {
			continue
		}
		switch {
		case opens[tok.Str]:
			depth++
		case depth == 0 && tok.Type == '}':
			if start < i {
				out = append(out, t.field(start, i))
			}
			return out, true
		case closes[tok.Str]:
			depth--
		case depth == 0 && (tok.Type == ',' || tok.Type == ';'):
			out = append(out, t.field(start, i))
			start = i + 1
		}
	}
	return nil, false
}

// field reads the field written by tokens [start, end).
func (t *tokens) field(start, end int) field {
	first := t.all[start]
	if first.Type == parse.TIdent && start+1 < end && t.all[start+1].Type == '=' {
		return field{key: start, value: start + 2}
	}
	if first.Type == '[' {
		depth := 0
		for i := start; i < end; i++ {
			switch t.all[i].Type {
			case '[':
				depth++
			case ']':
				depth--
				if depth == 0 && i+1 < end && t.all[i+1].Type == '=' {
					return field{key: start + 1, value: i + 2}
				}
			}
		}
	}
	return field{key: -1, value: start}
}
