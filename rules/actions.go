package rules

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Action changes one matched node and reports whether it changed anything.
// Actions are built once by Parse and shared by every goroutine, so Apply must
// not keep state between calls.
type Action interface {
	Apply(n *html.Node) bool
}

// ActionFunc adapts a function to Action.
type ActionFunc func(n *html.Node) bool

// Apply calls f.
func (f ActionFunc) Apply(n *html.Node) bool { return f(n) }

// actionDef tells the parser how to build an action from its YAML arguments.
type actionDef struct {
	doc string
	// elementsOnly actions make no sense on comments and comment spans.
	elementsOnly bool
	// keepsText: the action never adds, changes or splits a text node, so
	// the document's sketch (see sketch) still holds after it.
	keepsText bool
	build     func(a *args) (Action, error)
}

// registry holds every action by name. Adding an action is one function and
// one register call; the engine never names an action.
var registry = map[string]actionDef{}

func register(name string, def actionDef) { registry[name] = def }

// Actions lists the registered action names with a line of documentation.
func Actions() map[string]string {
	out := map[string]string{}
	for name, def := range registry {
		out[name] = def.doc
	}
	return out
}

func init() {
	register("remove", actionDef{
		doc:       "remove the node and everything inside it",
		keepsText: true,
		build:     noArgs(ActionFunc(remove)),
	})
	register("unwrap", actionDef{
		doc:          "drop the element's tags, keep its content in place",
		elementsOnly: true,
		keepsText:    true,
		build:        noArgs(ActionFunc(unwrap)),
	})
	register("trim", actionDef{
		doc: "strip white space, NBSP, U+3000, invisible characters and <br> at the start and " +
			"end of each run of inline content, and collapse runs of <br> to one",
		elementsOnly: true,
		build:        noArgs(ActionFunc(trim)),
	})
	register("replace-text", actionDef{
		doc: "replace every match of pattern in the element's text nodes with `with` ($1 expands); " +
			"at: start (or end) replaces only in its first (or last) text that is not blank",
		elementsOnly: true,
		build:        buildReplaceText,
	})
}

func noArgs(a Action) func(*args) (Action, error) {
	return func(ar *args) (Action, error) {
		if err := ar.finish(); err != nil {
			return nil, err
		}
		return a, nil
	}
}

func remove(n *html.Node) bool {
	if n.Parent == nil {
		return false
	}
	n.Parent.RemoveChild(n)
	return true
}

func unwrap(n *html.Node) bool {
	p := n.Parent
	if p == nil {
		return false
	}
	for c := n.FirstChild; c != nil; c = n.FirstChild {
		n.RemoveChild(c)
		p.InsertBefore(c, n)
	}
	p.RemoveChild(n)
	return true
}

type replaceText struct {
	re   *pattern
	with string
	at   string // "start" or "end": only the element's first or last text; "" for all
}

func buildReplaceText(a *args) (Action, error) {
	re, with := a.regexp("pattern", true), a.str("with", false)
	at := a.str("at", false)
	if v := a.get("at", false); v != nil && at != "start" && at != "end" {
		a.fail(errAt(v, "%s: at: is start or end, not %q", a.key, at))
	}
	if err := a.finish(); err != nil {
		return nil, err
	}
	return &replaceText{re: newPattern(re), with: with, at: at}, nil
}

func (r *replaceText) Apply(n *html.Node) bool {
	changed := false
	var texts []*html.Node
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			texts = append(texts, c)
		}
	})
	// A pattern anchored at the element's edge (a source's stamp opening
	// or closing a paragraph) would match at the edge of every text node,
	// mid-paragraph too: at: keeps it to the edge of the element.
	if r.at != "" {
		var edge []*html.Node
		for i := range texts {
			if r.at == "end" {
				i = len(texts) - 1 - i
			}
			if strings.TrimFunc(texts[i].Data, IsBlank) != "" {
				edge = texts[i : i+1]
				break
			}
		}
		texts = edge
	}
	for _, t := range texts {
		if !r.re.MatchString(t.Data) {
			continue
		}
		if s := r.re.ReplaceAllString(t.Data, r.with); s != t.Data {
			t.Data = s
			changed = true
		}
	}
	return changed
}

// blocks are the elements that start a new line of text; they split an
// element's inline content into runs for trim.
var blocks = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Center: true, atom.Details: true, atom.Dd: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true, atom.Hr: true,
	atom.Li: true, atom.Main: true, atom.Nav: true, atom.Ol: true, atom.P: true,
	atom.Pre: true, atom.Section: true, atom.Summary: true, atom.Table: true,
	atom.Tbody: true, atom.Td: true, atom.Tfoot: true, atom.Th: true, atom.Thead: true,
	atom.Tr: true, atom.Ul: true, atom.Body: true, atom.Caption: true,
}

// IsBlock reports elements that start a new block of text.
func IsBlock(n *html.Node) bool { return n.Type == html.ElementNode && blocks[n.DataAtom] }

// verbatim elements keep their white space and breaks as written.
var verbatim = map[atom.Atom]bool{
	atom.Pre: true, atom.Code: true, atom.Textarea: true, atom.Script: true, atom.Style: true,
}

// trim cleans the edges of every run of inline content directly in n (runs
// are separated by block children, which their own rules handle): leading
// and trailing blanks and <br>, and repeated <br> inside.
func trim(n *html.Node) bool {
	if verbatim[n.DataAtom] {
		return false
	}
	changed := false
	var run []*html.Node
	flush := func() {
		if trimRun(run) {
			changed = true
		}
		run = run[:0]
	}
	var collect func(p *html.Node)
	collect = func(p *html.Node) {
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case IsBlock(c):
				flush()
			case c.Type == html.TextNode || isBr(c):
				run = append(run, c)
			case c.Type == html.ElementNode && !verbatim[c.DataAtom] && !media[c.DataAtom] && c.FirstChild != nil:
				collect(c) // inline element: its content flows with ours
			case c.Type == html.ElementNode:
				run = append(run, c) // opaque content: image, code, empty inline element
			}
		}
	}
	collect(n)
	flush()
	return changed
}

func isBr(n *html.Node) bool { return n.Type == html.ElementNode && n.DataAtom == atom.Br }

// trimRun works on one run of leaves (text nodes, <br>, opaque elements).
func trimRun(run []*html.Node) bool {
	changed := false
	// Leading edge.
	i := 0
	for ; i < len(run); i++ {
		n := run[i]
		if isBr(n) {
			changed = remove(n) || changed
			continue
		}
		if n.Type != html.TextNode {
			break
		}
		s := strings.TrimLeftFunc(n.Data, IsBlank)
		if s != n.Data {
			n.Data, changed = s, true
		}
		if s != "" {
			break
		}
	}
	// Trailing edge.
	j := len(run) - 1
	for ; j > i; j-- {
		n := run[j]
		if isBr(n) {
			changed = remove(n) || changed
			continue
		}
		if n.Type != html.TextNode {
			break
		}
		s := strings.TrimRightFunc(n.Data, IsBlank)
		if s != n.Data {
			n.Data, changed = s, true
		}
		if s != "" {
			break
		}
	}
	// Repeated breaks inside, with only blank text between them.
	lastBr := false
	for k := i; k < j; k++ {
		n := run[k]
		switch {
		case isBr(n):
			if lastBr {
				changed = remove(n) || changed
			}
			lastBr = true
		case n.Type == html.TextNode && strings.TrimFunc(n.Data, IsBlank) == "":
			// blank text does not end a run of breaks
		default:
			lastBr = false
		}
	}
	return changed
}
