package rules

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Env is what a rule may look at besides the document.
type Env struct {
	// FrontMatter is the post's front matter as written, between its
	// delimiters; nil when it has none. Conditions on fields test it first:
	// a value nowhere in it spares the parse.
	FrontMatter []byte
	// Fields returns the post's front matter fields, read-only, parsing them
	// on the first call; nil when the post has none or they did not parse.
	Fields func() map[string]any
	// Body is the post's body as written, for body conditions.
	Body []byte
	// Path is the post's file path with forward slashes, for path
	// conditions; "" when it has none.
	Path string
	// Trace, when set, is called before each action with the rule and the
	// node it is about to change.
	Trace func(r *Rule, n *html.Node)
}

// Hits counts, for each rule of a Set (same index as Set.Rules), how many
// nodes its action changed.
type Hits []int

// Apply runs every rule in order on the tree under root and reports what each
// rule did. Rules whose when: conditions do not hold for env are skipped.
func (s *Set) Apply(root *html.Node, env Env) Hits {
	hits := make(Hits, s.Len())
	// The node list is taken again only after a rule changed the tree:
	// most rules find nothing in a given post.
	d := docs.Get().(*doc)
	defer d.release()
	d.root = root
	stale := true
	for i, r := range s.Rules() {
		if !r.when.holds(env) {
			continue
		}
		if stale {
			d.reset()
			stale = false
		}
		for _, n := range r.target.find(d) {
			if !attached(n, root) {
				continue // an earlier match took it away
			}
			if env.Trace != nil {
				env.Trace(r, n)
			}
			if r.action.Apply(n) {
				hits[i]++
				stale = true
				if !r.keepsText {
					d.textChanged()
				}
			}
		}
	}
	return hits
}

// attached reports whether n is still inside root.
func attached(n, root *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == root {
			return true
		}
	}
	return false
}

func (t *elementTarget) find(d *doc) []*html.Node {
	if t.text != nil && !d.present(t.text) {
		return nil
	}
	var out []*html.Node
	if list, ok := d.elements(t.tags); ok {
		for _, i := range list {
			if t.matches(d, i) {
				out = append(out, d.all[i])
			}
		}
		return out
	}
	for i, n := range d.all {
		if n.Type == html.ElementNode && (t.tags == nil || t.tags.has(n)) && t.matches(d, int32(i)) {
			out = append(out, n)
		}
	}
	return out
}

// matches runs the tests on the element at i, cheapest first.
func (t *elementTarget) matches(d *doc, i int32) bool {
	n := d.all[i]
	if f := t.place; f != nil {
		if f.measures() && !f.cheap(d.size(i)) {
			return false
		}
		if f.needsLayout() && !f.placed(i, d.articleLayout()) {
			return false
		}
	}
	if t.empty != nil && IsEmpty(n) != *t.empty {
		return false
	}
	if t.ownText != nil && !t.ownText.MatchString(ownText(n)) {
		return false
	}
	if t.attrs != nil && !t.attrs.admits(n) {
		return false
	}
	if !t.plain && !t.sel.Match(n) {
		return false
	}
	// Last, as the dearest test: a container's text is the whole of it.
	return t.text == nil || d.matches(t.text, i)
}

func (t *commentTarget) find(d *doc) []*html.Node {
	var out []*html.Node
	for _, n := range d.all {
		if n.Type == html.CommentNode && t.re.MatchString(strings.TrimSpace(n.Data)) {
			out = append(out, n)
		}
	}
	return out
}

// find returns, for each start comment followed by an end comment, the start
// comment, the largest nodes wholly between the two, and the end comment. An
// unterminated span is left alone: removing to the end of the document on a
// missing marker would lose the article.
func (t *spanTarget) find(d *doc) []*html.Node {
	var comments []*html.Node
	for _, n := range d.all {
		if n.Type == html.CommentNode {
			comments = append(comments, n)
		}
	}
	var out []*html.Node
	for i := 0; i < len(comments); i++ {
		if !t.start.MatchString(strings.TrimSpace(comments[i].Data)) {
			continue
		}
		for j := i + 1; j < len(comments); j++ {
			if t.end.MatchString(strings.TrimSpace(comments[j].Data)) {
				out = append(out, between(comments[i], comments[j])...)
				i = j
				break
			}
		}
	}
	return out
}

// between returns start, the largest nodes that lie wholly after start and
// before end in document order, and end.
func between(start, end *html.Node) []*html.Node {
	out := []*html.Node{start}
	n := start
	for {
		// Step to the next node in document order, skipping n's subtree.
		for n != nil && n.NextSibling == nil {
			n = n.Parent
		}
		if n == nil {
			return out // end was not after start; keep what we have
		}
		n = n.NextSibling
		// Descend while n holds end: only its part before end is in range.
		for n != end && contains(n, end) {
			n = n.FirstChild
		}
		if n == end {
			return append(out, end)
		}
		out = append(out, n)
	}
}

func contains(a, b *html.Node) bool {
	for ; b != nil; b = b.Parent {
		if b == a {
			return true
		}
	}
	return false
}

// walk calls fn for every node under root in document order, root excluded.
// fn must not detach nodes; callers collect first and act afterwards.
func walk(root *html.Node, fn func(*html.Node)) {
	// Iterative, so that very deep documents cannot exhaust the stack.
	n := root.FirstChild
	for n != nil {
		fn(n)
		if n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for n != root && n.NextSibling == nil {
			n = n.Parent
		}
		if n == root {
			return
		}
		n = n.NextSibling
	}
}

func (t *lineTarget) find(d *doc) []*html.Node {
	if !d.present(t.re) {
		return nil
	}
	var out []*html.Node
	var run []int32
	for i, n := range d.all {
		if !IsBlock(n) { // body included
			continue
		}
		run = run[:0]
		for c := int32(i) + 1; ; c = d.end[c] {
			var cn *html.Node
			if c < d.end[i] {
				cn = d.all[c]
			}
			if cn != nil && !IsBlock(cn) && cn.DataAtom != atom.Br {
				run = append(run, c)
				continue
			}
			if t.matches(run, d) {
				for _, r := range run {
					out = append(out, d.all[r])
				}
				if cn != nil && cn.DataAtom == atom.Br {
					out = append(out, cn)
				}
			}
			run = run[:0]
			if cn == nil {
				break
			}
		}
	}
	return out
}

// matches tests one run of inline siblings: a whole line, with no <br> or
// block inside it, whose text matches and whose place and size pass.
func (t *lineTarget) matches(run []int32, d *doc) bool {
	if len(run) == 0 {
		return false
	}
	var text strings.Builder
	var s size
	for _, c := range run {
		switch cn := d.all[c]; cn.Type {
		case html.TextNode:
			text.WriteString(cn.Data)
			s.chars += d.size(c).chars
		case html.ElementNode:
			if d.hasBreakOrBlock(c) {
				return false // a line that runs on into the next: not one line
			}
			text.WriteString(d.text(c))
			cs := d.size(c)
			s.chars += cs.chars
			s.linked += cs.linked
		}
	}
	if t.place != nil && !t.place.cheap(s) {
		return false
	}
	str := text.String()
	if strings.TrimSpace(str) == "" || !t.re.MatchString(str) {
		return false
	}
	if t.place == nil || !t.place.needsLayout() {
		return true
	}
	l := d.articleLayout()
	first, last := -1, -1
	for _, c := range run {
		if f, e, ok := l.span(c); ok {
			if first < 0 {
				first = f
			}
			last = e
		}
	}
	return first >= 0 && first == last && t.place.placedSpan(first, last, l)
}

// hasBreakOrBlock reports a <br> or a block inside the node at i.
func (d *doc) hasBreakOrBlock(i int32) bool {
	for _, c := range d.all[i+1 : d.end[i]] {
		if c.DataAtom == atom.Br || IsBlock(c) {
			return true
		}
	}
	return false
}
