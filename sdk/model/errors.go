package model

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrUnknownService is what errors.Is finds in Load's error for a name
// boto3 does not know.
var ErrUnknownService = errors.New("unknown service")

// UnknownServiceError is Load's error for a name boto3 does not know. It
// carries boto3's closest names so a caller can offer them.
type UnknownServiceError struct {
	Name        string
	Suggestions []string
}

func (e *UnknownServiceError) Error() string {
	msg := fmt.Sprintf("there is no AWS service named %q", e.Name)
	switch n := len(e.Suggestions); n {
	case 0:
		return msg + " (model.Names lists them)"
	case 1:
		return msg + "; did you mean " + e.Suggestions[0] + "?"
	default:
		return msg + "; did you mean " + strings.Join(e.Suggestions[:n-1], ", ") + " or " + e.Suggestions[n-1] + "?"
	}
}

// Is makes errors.Is(err, ErrUnknownService) true.
func (e *UnknownServiceError) Is(target error) bool { return target == ErrUnknownService }

func unknownService(name string, names []string) error {
	return &UnknownServiceError{Name: name, Suggestions: Closest(name, names, 5)}
}

// Closest ranks the names a user may have meant by typing q: a name that
// differs only in case, one that q begins or is contained in (or that is
// contained in q), or one a few edits away. Closer edits rank first, so
// the likeliest name leads the message.
func Closest(q string, names []string, most int) []string {
	lq := strings.ToLower(strings.TrimSpace(q))
	if lq == "" {
		return nil
	}
	type cand struct {
		name string
		dist int
	}
	var cands []cand
	limit := max(1, len(lq)/3)
	for _, n := range names {
		d := editDistance(lq, n)
		ok := d <= limit ||
			strings.HasPrefix(n, lq) ||
			(len(lq) >= 3 && strings.Contains(n, lq)) ||
			(len(n) >= 2 && strings.Contains(lq, n))
		if ok {
			cands = append(cands, cand{n, d})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.dist != b.dist {
			return a.dist - b.dist
		}
		return strings.Compare(a.name, b.name)
	})
	if len(cands) > most {
		cands = cands[:most]
	}
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i] = c.name
	}
	return out
}

// DidYouMean is "; did you mean a, b?" with the names Closest finds for
// q, "" when it finds none: the tail of an error about a name that is
// not there.
func DidYouMean(q string, names []string, most int) string {
	near := Closest(q, names, most)
	if len(near) == 0 {
		return ""
	}
	return "; did you mean " + strings.Join(near, ", ") + "?"
}

// editDistance is Levenshtein's distance over bytes; service names are
// ASCII.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
