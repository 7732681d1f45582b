package rules

import (
	"embed"
	"errors"
	"io/fs"
	"sort"
	"sync"
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
//go:embed default.yaml generic.yaml tidy.yaml packs/*.yaml
var embedded embed.FS

type parts struct{ head, tail *Set }

var defaults = sync.OnceValues(func() (parts, error) {
	names, err := fs.Glob(embedded, "packs/*.yaml")
	if err != nil {
		return parts{}, err
	}
	sort.Strings(names)
	names = append(append([]string{"default.yaml"}, names...), "generic.yaml", "tidy.yaml")
	// The files are read side by side: reading them is most of start-up,
	// and a filter run is mostly start-up.
	sets, errs := make([]*Set, len(names)), make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			data, err := embedded.ReadFile(name)
			if err == nil {
				sets[i], err = Parse("embedded:"+name, data)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return parts{}, err
	}
	head, err := Merge(sets[:len(sets)-1]...)
	return parts{head: head, tail: sets[len(sets)-1]}, err
})

// Default returns the embedded default rules: the core rules, every source
// pack, the generic layer, then the tidying rules. They go through Parse
// like any rule file; a test proves they compile, so the error is for
// completeness.
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
