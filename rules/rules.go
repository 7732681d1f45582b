// Package rules is mdclean's rule language: a versioned YAML format that names
// junk in a scraped HTML body (by CSS selector, text pattern, emptiness or HTML
// comment) and says what to do with it (remove it, unwrap it, ...).
//
// Parse validates a rule file completely (schema, selectors, regular
// expressions, action names and arguments) and returns an immutable Set, or
// every error found as FILE:LINE:COL lines. A Set is safe for concurrent use by
// any number of goroutines; only Apply's document is mutated.
package rules

import (
	"fmt"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Version is the rule file format this package reads.
const Version = 1

// Rule is one compiled rule. Its fields are read-only after Parse.
type Rule struct {
	Name        string
	Description string
	Origin      string // file the rule came from
	Line        int    // line of the rule in Origin

	when    condition
	target  target
	action  Action
	actName string
	// keepsText: the action never adds, changes or splits a text node
	// (it removes nodes, moves them or changes attributes).
	keepsText bool
}

// ActionName is the name of the rule's action, as written in the rule file.
func (r *Rule) ActionName() string { return r.actName }

// target says which nodes a rule acts on.
type target interface {
	// find returns the nodes to act on, in document order, from the
	// document as it stands (its nodes in document order, sizes, layout).
	find(d *doc) []*html.Node
}

// Set is an ordered, immutable list of rules.
type Set struct {
	rules []*Rule
}

// Rules returns the rules in the order they apply.
func (s *Set) Rules() []*Rule {
	if s == nil {
		return nil
	}
	return s.rules
}

// Len is the number of rules.
func (s *Set) Len() int { return len(s.Rules()) }

// Merge returns a set with the rules of every set in order. A later rule with
// the name of an earlier one is an error: names identify rules in --stats,
// explain and disable lists, so they must stay unique across files.
func Merge(sets ...*Set) (*Set, error) {
	out := &Set{}
	seen := map[string]*Rule{}
	for _, s := range sets {
		for _, r := range s.Rules() {
			if prev, dup := seen[r.Name]; dup {
				return nil, &Error{File: r.Origin, Line: r.Line, Col: 1, Rule: r.Name,
					Msg: fmt.Sprintf("duplicate rule name, first defined at %s:%d", prev.Origin, prev.Line)}
			}
			seen[r.Name] = r
			out.rules = append(out.rules, r)
		}
	}
	return out, nil
}

// Without returns the set less the named rules, and the names it did not know.
func (s *Set) Without(names []string) (*Set, []string) {
	drop := map[string]bool{}
	for _, n := range names {
		drop[n] = true
	}
	out := &Set{}
	for _, r := range s.Rules() {
		if drop[r.Name] {
			delete(drop, r.Name)
			continue
		}
		out.rules = append(out.rules, r)
	}
	var unknown []string
	for _, n := range names {
		if drop[n] {
			unknown = append(unknown, n)
			delete(drop, n)
		}
	}
	return out, unknown
}

// elementTarget selects elements by CSS selector, then filters them by text.
type elementTarget struct {
	sel     goquery.Matcher
	tags    *tagSet    // the elements sel can match; nil for any
	plain   bool       // sel is a list of tag names: tags says it all
	attrs   attrFilter // a cheap test sel's matches pass; nil for none
	text    *pattern   // on the whole text
	ownText *regex     // on the element's own text nodes
	empty   *bool
	place   *placeFilter // position, max-length, link-density, link-tail; nil for none
}

// lineTarget selects lines: runs of inline content between block edges and
// <br> (a line of a footer that is not an element of its own), whose text
// matches, with the place filters of element rules. It yields the run's
// nodes and the <br> that ends it.
type lineTarget struct {
	re    *pattern
	place *placeFilter
}

// commentTarget selects HTML comments whose content matches.
type commentTarget struct {
	re *regex
}

// spanTarget selects a start comment, an end comment and everything between
// them in document order, across element boundaries.
type spanTarget struct {
	start, end *regex
}
