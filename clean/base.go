package clean

import (
	"bytes"
	"strings"

	"github.com/JohannesKaufmann/dom"
	"github.com/JohannesKaufmann/html-to-markdown/v2/collapse"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"golang.org/x/net/html"
)

// base does the groundwork html-to-markdown's own base plugin does, with the
// same priorities and to the same output (a test holds the two equal): it
// drops elements that never render, collapses whitespace, escapes text,
// trims the result and resolves the escapes. It differs in how text is
// escaped: the converter's own escaper takes a lock and a map lookup for
// every byte of text (three per CJK character), the largest single cost of
// converting a post; here one table lookup per byte does it, and text with
// nothing to escape is passed on without a copy.
//
// The converter requires a plugin named "base" beside the CommonMark one,
// so this one carries that name in its place.
type base struct{}

func (base) Name() string { return "base" }

func (base) Init(conv *converter.Converter) error {
	for _, tag := range []string{"#comment", "head", "script", "style", "link", "meta", "iframe", "noscript", "input", "textarea"} {
		conv.Register.TagType(tag, converter.TagTypeRemove, converter.PriorityStandard)
	}
	conv.Register.PreRenderer(dropRemoved, converter.PriorityEarly)
	// Late, so that whitespace collapses after every other plugin's changes.
	conv.Register.PreRenderer(collapseSpace, converter.PriorityLate)
	conv.Register.TextTransformer(escapeText, converter.PriorityStandard)
	conv.Register.PostRenderer(trimOutput, converter.PriorityStandard)
	conv.Register.PostRenderer(resolveEscapes, converter.PriorityStandard+20)
	return nil
}

// keepHashAtLineStart keeps the backslash before a "#" that opens a line
// (after any quote markers): "#话题#今天" or "#1 in the list" is a paragraph
// to CommonMark, but reads as a heading missing its space to people and
// linters; "\#" shows the same "#".
func keepHashAtLineStart(chars []byte, index int) int {
	if chars[index] != '#' {
		return -1
	}
	j := index - 2 // before the escape marker
	for j >= 0 && (chars[j] == ' ' || chars[j] == '>') {
		j--
	}
	if j >= 0 && chars[j] != '\n' {
		return -1
	}
	return 1
}

// keepEscape keeps the escapes the converter's own rules would drop where
// another reader, or a code span written next to the text, could still
// read the character as syntax:
//   - every backtick: the converter drops the escape where it sees no
//     backtick to pair with, but two text backticks, then the code span
//     "`<b>`", read as one backtick string of three, the span never
//     closes, and its code reads as raw HTML;
//   - every "[": the converter keeps it only with a "]" on the same line,
//     but a link or a reference definition may run over lines, and marked
//     (Hexo's default) folds white space in labels where goldmark, which
//     checks the output, does not;
//   - a "~" that a backtick follows: the converter's fence rule takes "~"
//     and backticks for one run and drops all their escapes, and a line
//     that starts with such a run may open a fence or join a code span's
//     backtick string.
func keepEscape(chars []byte, index int) int {
	switch chars[index] {
	case '`', '[':
		return 1
	case '~':
		next := index + 1
		if next < len(chars) && chars[next] == marker.BytesMarkerEscaping[0] {
			next++
		}
		if next < len(chars) && chars[next] == '`' {
			return 1
		}
	}
	return -1
}

// dropRemoved removes the elements whose tag type is "remove", then joins
// the text nodes their removal left side by side, which whitespace
// collapsing expects to find as one.
func dropRemoved(ctx converter.Context, doc *html.Node) {
	var drop func(n *html.Node)
	drop = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if t, _ := ctx.GetTagType(dom.NodeName(c)); t == converter.TagTypeRemove {
				n.RemoveChild(c)
			} else {
				drop(c)
			}
			c = next
		}
	}
	drop(doc)
	joinTexts(doc)
}

// joinTexts merges every run of adjacent text nodes under n into its first
// node, copying each run once.
func joinTexts(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.TextNode {
			joinTexts(c)
			continue
		}
		if next := c.NextSibling; next == nil || next.Type != html.TextNode {
			continue
		}
		var b strings.Builder
		b.WriteString(c.Data)
		for next := c.NextSibling; next != nil && next.Type == html.TextNode; next = c.NextSibling {
			b.WriteString(next.Data)
			n.RemoveChild(next)
		}
		c.Data = b.String()
	}
}

func collapseSpace(ctx converter.Context, doc *html.Node) {
	collapse.Collapse(doc, &collapse.DomFuncs{
		IsBlockNode: func(n *html.Node) bool { return isBlock(ctx, n) },
	})
}

// isBlock reports a node the converter renders as a block of its own, by
// the tag types the plugins register (the HTML block elements by default).
func isBlock(ctx converter.Context, n *html.Node) bool {
	t, _ := ctx.GetTagType(dom.NodeName(n))
	return t == converter.TagTypeBlock
}

// escapable holds the characters the CommonMark, table and strikethrough
// plugins register as ones text may need escaped; each is marked for the
// converter's unescaping pass, which keeps a backslash only where the
// character would otherwise be read as syntax. All are ASCII, so a byte
// table decides.
var escapable = func() (t [256]bool) {
	for _, c := range "\\*_-+.>|$#=[]()!~`\"'" {
		t[c] = true
	}
	return t
}()

// escapeText writes "<" and ">" as character references, so that text never
// reads as HTML, puts a backslash before an "&" that would read as a
// character reference ("&ouml;" as text), replaces NUL (as CommonMark asks)
// and marks every escapable character.
func escapeText(_ converter.Context, s string) string {
	i := 0
	for i < len(s) && !escapable[s[i]] && s[i] != '<' && s[i] != 0 && (s[i] != '&' || !startsReference(s[i:])) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == 0:
			b.WriteString("\uFFFD")
		case c == '&' && startsReference(s[i:]):
			b.WriteString(`\&`)
		case escapable[c]:
			b.WriteByte(marker.BytesMarkerEscaping[0])
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// trimOutput trims the Markdown's edges, caps every run of blank lines at
// one and drops hard breaks that end a paragraph.
func trimOutput(_ converter.Context, md []byte) []byte {
	md = capNewlines(bytes.TrimSpace(md))
	for _, end := range [...][]byte{[]byte("  \n\n"), []byte("  \n  \n"), []byte("  \n \n")} {
		if bytes.Contains(md, end) {
			md = bytes.ReplaceAll(md, end, []byte("\n\n"))
		}
	}
	return md
}

// capNewlines keeps at most two newlines in a row, with the spaces before
// each kept one; spaces before a dropped newline go with it. Text between
// runs is copied whole.
func capNewlines(md []byte) []byte {
	var out []byte // nil until a newline is dropped
	done := 0      // md[:done] is in out
	for i := 0; i < len(md); {
		if md[i] != '\n' {
			i++
			continue
		}
		// A run of newlines and spaces from i; spaces after the second
		// newline, up to the next newline, go with the newline they precede.
		newlines, j := 0, i
		for j < len(md) && (md[j] == '\n' || md[j] == ' ') {
			if md[j] == '\n' {
				newlines++
				if newlines == 3 {
					if out == nil {
						out = make([]byte, 0, len(md))
					}
					out = append(out, md[done:j-spacesBefore(md, j)]...)
					done = j + 1
				} else if newlines > 3 {
					done = j + 1
				}
			}
			j++
		}
		i = j
	}
	if out == nil {
		return md
	}
	return append(out, md[done:]...)
}

// spacesBefore counts the spaces just before md[j].
func spacesBefore(md []byte, j int) int {
	k := j
	for k > 0 && md[k-1] == ' ' {
		k--
	}
	return j - k
}

func resolveEscapes(ctx converter.Context, md []byte) []byte {
	return ctx.UnEscapeContent(md)
}

// renderQuote writes a blockquote as the CommonMark plugin does, but puts
// "> " before every line of the code blocks in it too: the plugin leaves
// their lines, held apart by the code newline marker until the end, without
// it, so the code's second line left the quote and broke the fence.
func renderQuote(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	var buf bytes.Buffer
	ctx.RenderChildNodes(ctx, &buf, n)
	// Escapes are resolved here, where a line of the quote still starts
	// its line: behind "> ", "- a" would no longer look like a list item.
	content := ctx.UnEscapeContent(trimOutput(ctx, buf.Bytes()))
	if len(content) == 0 {
		return converter.RenderSuccess
	}
	quoted := make([]byte, 0, len(content)+len(content)/8+2)
	quoted = append(quoted, "> "...)
	for i := 0; i < len(content); i++ {
		switch {
		case content[i] == '\n':
			quoted = append(quoted, "\n> "...)
		case bytes.HasPrefix(content[i:], marker.BytesMarkerCodeBlockNewline):
			quoted = append(append(quoted, marker.BytesMarkerCodeBlockNewline...), "> "...)
			i += len(marker.BytesMarkerCodeBlockNewline) - 1
		default:
			quoted = append(quoted, content[i])
		}
	}
	w.WriteString("\n\n")
	w.Write(quoted)
	w.WriteString("\n\n")
	return converter.RenderSuccess
}
