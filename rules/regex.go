package rules

import (
	"regexp"
	"regexp/syntax"
	"sync"
)

// regex is a regular expression of a rule, checked when its rule file is
// read and compiled the first time a post needs it run. Compiling every
// regular expression of the default rules is most of mdclean's start-up,
// and one post needs few of them: the sketch rules most text rules out
// without running theirs, and rules scoped to other sites never run.
type regex struct {
	src  string
	tree *syntax.Regexp // as parsed, for the prefilter; dropped once read
	re   func() *regexp.Regexp
}

// newRegex checks src as regexp.Compile would: the parse is where it
// reports every error.
func newRegex(src string) (*regex, error) {
	tree, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil, err
	}
	return &regex{src: src, tree: tree, re: sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(src) // parsed above, so it compiles
	})}, nil
}

func (r *regex) String() string                      { return r.src }
func (r *regex) MatchString(s string) bool           { return r.re().MatchString(s) }
func (r *regex) Match(b []byte) bool                 { return r.re().Match(b) }
func (r *regex) ReplaceAllString(s, w string) string { return r.re().ReplaceAllString(s, w) }
