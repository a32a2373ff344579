package bindings

import (
	"iter"
	"runtime"
)

// A puller feeds a Go iterator to Lua one value per call. A restartable
// one (a page iterator or a collection used in a generic for) starts its
// sequence again once it has ended, as boto3's iterables do; a one-shot
// one (the function that search() returns) stays ended.
type puller[T any] struct {
	start   func() iter.Seq2[T, error]
	restart bool
	next    func() (T, error, bool)
	stop    func()
	done    bool
}

// step returns the next value, starting the sequence when none runs. The
// sequence is stopped at its end, on an error, and — for a loop left with
// break — when the garbage collector finds the puller abandoned.
func (p *puller[T]) step() (v T, err error, ok bool) {
	if p.done {
		return v, nil, false
	}
	if p.next == nil {
		p.next, p.stop = iter.Pull2(p.start())
		runtime.AddCleanup(p, func(stop func()) { stop() }, p.stop)
	}
	v, err, ok = p.next()
	if !ok || err != nil {
		p.stop()
		p.next, p.stop = nil, nil
		p.done = !p.restart
	}
	return v, err, ok
}
