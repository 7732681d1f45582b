package rules

import (
	"sync"

	"gopkg.in/yaml.v3"
)

// DefaultFile is the origin the core default rules report; the source
// packs report "embedded:packs/NAME.yaml", the generic layer
// "embedded:generic.yaml".
const DefaultFile = "embedded:default.yaml"

// The core rules (default.yaml) hold for every post; each source pack
// (packs/*.yaml) cleans one site's own junk, its rules scoped to that site's
// posts by when: conditions; the generic layer (generic.yaml) removes the
// classes of site furniture every site has, after the packs, which know
// their sites better; the tidying rules (tidy.yaml) clean up after all of
// them.
//
// The files are built in as their YAML trees, in that order, written out
// as Go data by go generate (trees_gen.go; a test keeps it in step with the
// files): decoding the YAML was a third of a filter run's time, and the
// trees cost nothing to load.
type embeddedFile struct {
	name string
	tree *yaml.Node
}

//go:generate go test -run ^TestEmbeddedTrees$ -update .

type parts struct{ head, tail *Set }

var defaults = sync.OnceValues(func() (parts, error) {
	sets := make([]*Set, len(embeddedFiles))
	for i, f := range embeddedFiles {
		s, err := parseTree("embedded:"+f.name, f.tree)
		if err != nil {
			return parts{}, err
		}
		sets[i] = s
	}
	head, err := Merge(sets[:len(sets)-1]...)
	return parts{head: head, tail: sets[len(sets)-1]}, err
})

// Default returns the embedded default rules: the core rules, every source
// pack, the generic layer, then the tidying rules. They go through the
// parser like any rule file; a test proves they compile, so the error is
// for completeness.
func Default() (*Set, error) {
	p, err := defaults()
	if err != nil {
		return nil, err
	}
	return Merge(p.head, p.tail)
}

// Tidying returns the names of the tidying rules, which run after every
// other rule, user rules included.
func Tidying() []string {
	p, err := defaults()
	if err != nil {
		return nil
	}
	var names []string
	for _, r := range p.tail.Rules() {
		names = append(names, r.Name)
	}
	return names
}

// DefaultAround returns the default rules with the given rule sets placed
// between the generic layer and the tidying rules, so that what user rules
// remove is tidied up too.
func DefaultAround(user ...*Set) (*Set, error) {
	p, err := defaults()
	if err != nil {
		return nil, err
	}
	return Merge(append(append([]*Set{p.head}, user...), p.tail)...)
}
