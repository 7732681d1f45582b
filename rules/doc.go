package rules

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"sync"
)

// doc is what rules read of a document between two changes to it: an
// index built in one walk (the nodes in document order, where each subtree
// ends, the elements by tag) and, built when a rule
// first asks and kept until the tree changes, the visible size of every
// node, the article's layout and the text of the nodes rules read. Nodes
// are known by their position in document order, so every lookup is an
// index into a slice. Most rules change nothing, so one build serves many.
type doc struct {
	root  *html.Node
	all   []*html.Node          // root's descendants in document order
	end   []int32               // all[i]'s subtree is all[i:end[i]]
	byTag map[atom.Atom][]int32 // elements by tag; atom 0 holds those without one

	withClass, withID []int32 // elements with a class, an id attribute
	stack             []int32

	measured bool
	sizes    []size // visible characters under each node, and in links
	inLink   []bool // the node is a link or inside one
	layout   *layout

	texts  map[int32]string // Text of an element, once read; see text
	folded map[int32]string // fold of a kept text, once a pattern asked

	sketch   *sketch // the document's text, once a pattern asked; see present
	sketched bool
}

// docs keeps the index's lists and tables from one post to the next:
// building them afresh was a good share of what cleaning allocates.
var docs = sync.Pool{New: func() any { return new(doc) }}

// release returns d to the pool, holding no node of the post.
func (d *doc) release() {
	clear(d.all[:cap(d.all)])
	d.root, d.layout = nil, nil
	d.sketched = false
	clear(d.texts)
	clear(d.folded)
	docs.Put(d)
}

func (d *doc) reset() {
	d.all, d.end, d.stack = d.all[:0], d.end[:0], d.stack[:0]
	d.withClass, d.withID = d.withClass[:0], d.withID[:0]
	if d.byTag == nil {
		d.byTag = map[atom.Atom][]int32{}
	}
	for a, l := range d.byTag {
		d.byTag[a] = l[:0]
	}
	// Iterative, so that very deep documents cannot exhaust the stack.
	for n := d.root.FirstChild; n != nil; {
		i := int32(len(d.all))
		d.all, d.end = append(d.all, n), append(d.end, i+1)
		if n.Type == html.ElementNode {
			d.byTag[n.DataAtom] = append(d.byTag[n.DataAtom], i)
			if hasAttr(n, "class") {
				d.withClass = append(d.withClass, i)
			}
			if hasAttr(n, "id") {
				d.withID = append(d.withID, i)
			}
		}
		if n.FirstChild != nil {
			d.stack = append(d.stack, i)
			n = n.FirstChild
			continue
		}
		for n != nil && n.NextSibling == nil {
			if n = n.Parent; n == d.root {
				n = nil
				break
			}
			top := d.stack[len(d.stack)-1]
			d.stack = d.stack[:len(d.stack)-1]
			d.end[top] = int32(len(d.all))
		}
		if n != nil {
			n = n.NextSibling
		}
	}
	d.measured, d.layout = false, nil
	clear(d.texts)
	clear(d.folded)
}

// textChanged is told that an action changed the text of the document,
// beyond removing or moving text nodes: the sketch must be read again.
func (d *doc) textChanged() { d.sketched = false }

// resize returns s with length n, every element zero.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// measure sizes every node in one pass in document order: a node is in a
// link when it is one or its parent is, and a subtree's size is added to
// its parent's as the walk leaves it.
func (d *doc) measure() {
	if d.measured {
		return
	}
	d.measured = true
	d.sizes, d.inLink = resize(d.sizes, len(d.all)), resize(d.inLink, len(d.all))
	d.walk(func(i, parent int32) {
		n := d.all[i]
		d.inLink[i] = isLink(n) || parent >= 0 && d.inLink[parent]
		if isContent(n) {
			d.sizes[i].chars = int32(visible(n))
			if d.inLink[i] {
				d.sizes[i].linked = d.sizes[i].chars
			}
		}
	}, func(i, parent int32) {
		if parent >= 0 {
			d.sizes[parent].chars += d.sizes[i].chars
			d.sizes[parent].linked += d.sizes[i].linked
		}
	})
}

// walk calls enter for every node in document order and leave as the walk
// leaves its subtree, each with the position of the node's parent (-1 for
// root's children).
func (d *doc) walk(enter, leave func(i, parent int32)) {
	stack := d.stack[:0]
	top := func() int32 {
		if len(stack) == 0 {
			return -1
		}
		return stack[len(stack)-1]
	}
	for i := range int32(len(d.all)) {
		for len(stack) > 0 && d.end[top()] <= i {
			j := top()
			stack = stack[:len(stack)-1]
			leave(j, top())
		}
		enter(i, top())
		stack = append(stack, i)
	}
	for len(stack) > 0 {
		j := top()
		stack = stack[:len(stack)-1]
		leave(j, top())
	}
	d.stack = stack
}

// own returns the visible characters of the node at i itself: a text's,
// or one for a media element; zero for any other.
func (d *doc) own(i int32) int32 {
	if n := d.all[i]; n.Type == html.TextNode {
		return d.sizes[i].chars
	} else if isContent(n) {
		return 1
	}
	return 0
}

// size returns the size of the node at i.
func (d *doc) size(i int32) size {
	d.measure()
	return d.sizes[i]
}

// articleLayout returns the layout, building it on first use.
func (d *doc) articleLayout() *layout {
	if d.layout == nil {
		d.measure()
		d.layout = newLayout(d)
	}
	return d.layout
}

// text returns Text of the node at i. Short texts of elements are kept
// for the next rule that asks (several test the same candidates); long
// ones, the text of containers, are read again, so that nested containers
// cannot hold copies of one text at every level.
func (d *doc) text(i int32) string {
	if s, ok := d.texts[i]; ok {
		return s
	}
	if n := d.all[i]; n.Type == html.TextNode {
		return n.Data
	}
	var b []byte
	for _, c := range d.all[i+1 : d.end[i]] {
		if c.Type == html.TextNode {
			b = append(b, c.Data...)
		}
	}
	s := string(b)
	if len(s) <= maxKeptText && len(d.texts) < maxKept {
		if d.texts == nil {
			d.texts, d.folded = map[int32]string{}, map[int32]string{}
		}
		d.texts[i] = s
	}
	return s
}

// Bounds of the text cache: it serves the few candidates several rules
// test, not every node of a huge post.
const (
	maxKeptText = 1024
	maxKept     = 4096
)

// present reports whether p may match somewhere in the document's text, and
// so in the text of any element or line; see sketch.
func (d *doc) present(p *pattern) bool {
	if p.grams == nil {
		return true
	}
	if !d.sketched {
		if d.sketch == nil {
			d.sketch = new(sketch)
		}
		d.sketch.read(d.all)
		d.sketched = true
	}
	return p.mayOccur(d.sketch)
}

// matches runs p on the text of the node at i, sharing a kept text's
// fold with every other pattern that tests it.
func (d *doc) matches(p *pattern, i int32) bool {
	s := d.text(i)
	if _, kept := d.texts[i]; !kept {
		return p.MatchString(s)
	}
	folded := d.folded[i]
	ok := p.possible(s, &folded)
	d.folded[i] = folded
	return ok && p.regex.MatchString(s)
}

// elements returns the positions of the elements of a few named tags and,
// when the set says so, those with a class or an id, in document order,
// from the index; ok is false for a set it does not serve (many tags, or
// names without an atom), which the caller scans for.
func (d *doc) elements(tags *tagSet) (list []int32, ok bool) {
	if tags == nil || len(tags.names) != 0 || len(tags.atoms) > 4 {
		return nil, false
	}
	var lists [6][]int32
	k := 0
	add := func(l []int32) {
		if len(l) > 0 {
			lists[k] = l
			k++
		}
	}
	for _, a := range tags.atoms {
		add(d.byTag[a])
	}
	if tags.class {
		add(d.withClass)
	}
	if tags.id {
		add(d.withID)
	}
	return merge(lists[:k]), true
}

// merge returns the union of a few sorted lists, sorted.
func merge(lists [][]int32) []int32 {
	switch len(lists) {
	case 0:
		return nil
	case 1:
		return lists[0]
	}
	var out []int32
	for {
		best := -1
		for j, l := range lists {
			if len(l) > 0 && (best < 0 || l[0] < lists[best][0]) {
				best = j
			}
		}
		if best < 0 {
			return out
		}
		if n := len(out); n == 0 || out[n-1] != lists[best][0] { // an element with a listed tag and a class
			out = append(out, lists[best][0])
		}
		lists[best] = lists[best][1:]
	}
}
