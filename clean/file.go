package clean

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/mdclean/mdclean/rules"
)

// StdinName names standard input in messages, as gofmt does.
const StdinName = "<standard input>"

// PathError is a problem with one file, reported as "PATH: reason".
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *PathError) Unwrap() error { return e.Err }

// Stats add up what cleaning a number of posts did.
type Stats struct {
	Rules                  *rules.Set
	Hits                   rules.Hits
	Files, Changed, Failed int
	BytesIn, BytesOut      int64
	Converted, PassedAsIs  int
}

// NewStats returns empty stats for a rule set.
func NewStats(set *rules.Set) *Stats {
	return &Stats{Rules: set, Hits: make(rules.Hits, set.Len())}
}

// Add counts one post's result.
func (s *Stats) Add(src []byte, res Result, err error) {
	s.Files++
	if err != nil {
		s.Failed++
		return
	}
	s.BytesIn += int64(len(src))
	s.BytesOut += int64(len(res.Output))
	if res.Changed(src) {
		s.Changed++
	}
	if res.Converted {
		s.Converted++
	} else {
		s.PassedAsIs++
	}
	for i, n := range res.Hits {
		s.Hits[i] += n
	}
}

// WriteRuleHits prints each rule's hit count, one rule a line, in rule order.
func (s *Stats) WriteRuleHits(w io.Writer) {
	width := 0
	for _, r := range s.Rules.Rules() {
		width = max(width, len(r.Name))
	}
	for i, r := range s.Rules.Rules() {
		fmt.Fprintf(w, "%-*s %6d\n", width, r.Name, s.Hits[i])
	}
}

// CleanFile reads and cleans one post; path "-" is standard input. name is
// what messages call it. Errors come back as *PathError.
func (c *Cleaner) CleanFile(path string, stdin io.Reader) (src []byte, res Result, err error) {
	name := path
	if path == "-" {
		name = StdinName
		src, err = io.ReadAll(stdin)
	} else {
		src, err = readRegular(path)
	}
	if err != nil {
		return nil, Result{}, &PathError{Path: name, Err: err}
	}
	res, err = c.Clean(src, nil)
	if err != nil {
		return src, Result{}, &PathError{Path: name, Err: err}
	}
	if res.Warning != nil {
		res.Warning = &PathError{Path: name, Err: res.Warning}
	}
	return src, res, nil
}

var errNotRegular = errors.New("not a regular file")

func readRegular(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, unwrapPathErr(err)
	}
	if !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return nil, errors.New("is a directory")
		}
		return nil, errNotRegular
	}
	b, err := os.ReadFile(path)
	return b, unwrapPathErr(err)
}

// unwrapPathErr drops the os package's own path prefix: messages name the
// path once, at the front.
func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
