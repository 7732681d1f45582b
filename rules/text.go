package rules

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// IsBlank reports runes a reader cannot see: white space, NBSP, U+3000 and
// zero-width or bidi control characters.
func IsBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000' || IsInvisible(r)
}

// IsInvisible reports zero-width, bidi-control and byte-order characters.
func IsInvisible(r rune) bool {
	return r >= 0x200b && r <= 0x200f || r >= 0x202a && r <= 0x202e ||
		r >= 0x2060 && r <= 0x2064 || r >= 0x2066 && r <= 0x2069 || r == 0xfeff
}

// media are elements that are content even without text.
var media = map[atom.Atom]bool{
	atom.Img: true, atom.Video: true, atom.Audio: true, atom.Iframe: true,
	atom.Picture: true, atom.Svg: true, atom.Canvas: true, atom.Embed: true,
	atom.Object: true, atom.Hr: true, atom.Math: true,
}

// IsEmpty reports an element with no visible text, no media and no code
// inside.
func IsEmpty(n *html.Node) bool {
	empty := true
	walk(n, func(c *html.Node) {
		if !empty {
			return
		}
		switch c.Type {
		case html.TextNode:
			if strings.IndexFunc(c.Data, func(r rune) bool { return !IsBlank(r) }) >= 0 {
				empty = false
			}
		case html.ElementNode:
			// A code block, and code that holds any white space, show
			// as code even with nothing else in them.
			if media[c.DataAtom] || c.DataAtom == atom.Pre || c.DataAtom == atom.Code && c.FirstChild != nil {
				empty = false
			}
		}
	})
	return empty
}

// Text is the text of n and its descendants, comments excluded.
func Text(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

func ownText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}
