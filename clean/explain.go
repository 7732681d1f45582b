package clean

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/mdclean/mdclean/rules"
)

// SnippetRunes is how much of a node's HTML an explanation shows.
const SnippetRunes = 80

// action is one rule action Explain saw.
type action struct {
	rule   *rules.Rule
	node   *html.Node
	parent *html.Node
	path   string
	before string // the node's outer HTML before the action
}

// changed reports whether the action left the node other than it found it:
// moved out of its parent (removed, unwrapped, replaced) or with other HTML.
// It is asked right after the action, before the next one runs.
func (a *action) changed() bool {
	return a.node.Parent != a.parent || outerHTML(a.node) != a.before
}

// Explain cleans src like Clean and writes to w what the rules did, for
// rule authors asking why a piece of a post went: one line per rule action
// that changed the document, in the order the actions ran, with the rule's
// name, the node's path (body > div > p:nth-of-type(3) > font) and the start
// of its HTML before the action; then a summary line. Actions that matched
// and changed nothing (a trim of a block with nothing to trim) are left out,
// so the lines add up to --stats' hit counts.
func (c *Cleaner) Explain(w io.Writer, path string, src []byte, asJSON bool) (Result, error) {
	var done []*action
	var last *action
	settle := func() {
		if last != nil && last.changed() {
			done = append(done, last)
		}
		last = nil
	}
	res, err := c.Trace(path, src, func(r *rules.Rule, n *html.Node) {
		settle() // the previous action has run by now
		last = &action{rule: r, node: n, parent: n.Parent, path: NodePath(n), before: outerHTML(n)}
	})
	settle()
	if err != nil {
		return res, err
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, a := range done {
			if err := enc.Encode(struct {
				Rule   string `json:"rule"`
				Node   string `json:"node"`
				Before string `json:"before"`
			}{a.rule.Name, a.path, a.before}); err != nil {
				return res, err
			}
		}
		return res, nil
	}
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	ruleSeen := map[*rules.Rule]bool{}
	for _, a := range done {
		ruleSeen[a.rule] = true
		snip := Snippet(a.before, SnippetRunes)
		if snip == "" {
			snip = "(white space)" // a text node between two markers, say
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.rule.Name, a.path, snip)
	}
	if err := tw.Flush(); err != nil {
		return res, err
	}
	if !res.Converted {
		_, err = fmt.Fprintln(w, "0 actions: the body is not HTML, so it is passed through untouched")
		return res, err
	}
	_, err = fmt.Fprintf(w, "%d %s by %d %s\n", len(done), plural(len(done), "action", "actions"),
		len(ruleSeen), plural(len(ruleSeen), "rule", "rules"))
	return res, err
}

// NodePath names n by its ancestors from <body> (or <head>), CSS-like:
// "body > div > p:nth-of-type(3) > font". An element's position is given
// only when its parent has more than one child of its tag; a comment is
// "#comment" and a text node "#text".
func NodePath(n *html.Node) string {
	var parts []string
	for ; n != nil && n.Type != html.DocumentNode; n = n.Parent {
		if n.Type == html.ElementNode && n.DataAtom == atom.Html && len(parts) > 0 {
			break // every path would start with it
		}
		parts = append(parts, pathStep(n))
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, " > ")
}

func pathStep(n *html.Node) string {
	switch n.Type {
	case html.ElementNode:
	case html.CommentNode:
		return "#comment"
	case html.TextNode:
		return "#text"
	case html.DoctypeNode:
		return "#doctype"
	default:
		return "#node"
	}
	if n.Parent == nil {
		return n.Data
	}
	same, nth := 0, 0
	for s := n.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode && s.Data == n.Data && s.Namespace == n.Namespace {
			same++
			if s == n {
				nth = same
			}
		}
	}
	if same < 2 {
		return n.Data
	}
	return n.Data + ":nth-of-type(" + strconv.Itoa(nth) + ")"
}

func outerHTML(n *html.Node) string {
	var b bytes.Buffer
	if err := html.Render(&b, n); err != nil {
		return ""
	}
	return b.String()
}

// Snippet squeezes every run of white space in s to one space and cuts
// the result to at most max runes, marking a cut with "…".
func Snippet(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:max-1]), " ") + "…"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
