package rules

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func init() {
	register("link-to-source", actionDef{
		doc: "replace an embedded player (iframe, video, audio) with a plain link to its source, " +
			"labelled by its title or by text (default ▶); remove it when it has no usable source",
		elementsOnly: true,
		build:        buildLinkToSource,
	})
}

type linkToSource struct{ text string }

func buildLinkToSource(a *args) (Action, error) {
	text := a.str("text", false)
	if err := a.finish(); err != nil {
		return nil, err
	}
	if text == "" {
		// A symbol, not a word: the post's language is unknown, and the
		// link's target says what it is.
		text = "▶"
	}
	return &linkToSource{text: text}, nil
}

func (l *linkToSource) Apply(n *html.Node) bool {
	if n.Parent == nil {
		return false
	}
	src := mediaSource(n)
	if src == "" || !IsSafeURL(src) {
		return remove(n)
	}
	if strings.HasPrefix(src, "//") {
		src = "https:" + src
	}
	text := strings.TrimSpace(Attr(n, "title"))
	if text == "" {
		text = l.text
	}
	a := &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A,
		Attr: []html.Attribute{{Key: "href", Val: src}}}
	a.AppendChild(&html.Node{Type: html.TextNode, Data: text})
	// A player stands on its own line; so does its link.
	p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
	p.AppendChild(a)
	n.Parent.InsertBefore(p, n)
	n.Parent.RemoveChild(n)
	return true
}

// mediaSource is the URL a player loads: its src, a lazy-loading data-src, or
// its first <source>.
func mediaSource(n *html.Node) string {
	for _, k := range []string{"src", "data-src"} {
		if v := strings.TrimSpace(Attr(n, k)); v != "" && v != "about:blank" {
			return v
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Source {
			if v := strings.TrimSpace(Attr(c, "src")); v != "" {
				return v
			}
		}
	}
	return ""
}

// Attr returns the value of n's attribute key, "" when it has none.
func Attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

// IsSafeURL reports a URL that does not run code when followed: anything but
// javascript:, vbscript: and data: (the converter drops an image whose
// source is data: and keeps its description), after undoing the obfuscations browsers forgive
// (entities are already decoded by the parser; control characters and white
// space inside the scheme are ignored by browsers, and so here).
func IsSafeURL(u string) bool {
	scheme := urlScheme(u)
	switch scheme {
	case "javascript", "vbscript", "data", "livescript", "mocha":
		return false
	}
	return true
}

// urlScheme returns the lower-cased scheme of u as a browser would read it.
func urlScheme(u string) string {
	var b strings.Builder
	for _, r := range u {
		switch {
		case r <= ' ' || r == 0x7f:
			continue // browsers strip these anywhere in the scheme
		case r == ':':
			return strings.ToLower(b.String())
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.':
			b.WriteRune(r)
		default:
			return "" // not a scheme: a relative URL
		}
		if b.Len() > 32 {
			return ""
		}
	}
	return ""
}
