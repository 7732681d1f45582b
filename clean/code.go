package clean

import (
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/mdclean/mdclean/rules"
)

// Code is rendered here so that it reads back as exactly the code it was:
// the CommonMark plugin trimmed code spans (" a" became "a"), dropped an
// empty code block's emptiness ("```\n\n```" holds a blank line), and lost
// a block's final blank lines.

// renderCodeBlock writes a <pre> as a fenced block: the fence is longer
// than any run of backticks in the code, the language comes from a
// "language-" or "lang-" class, and the code's lines are kept whole, blank
// ones included, through the converter's later passes.
func renderCodeBlock(_ converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	var b strings.Builder
	info := codeText(&b, n, "")
	code := b.String()
	longest := 0
	for n := range backtickRuns(code) {
		longest = max(longest, n)
	}
	fence := strings.Repeat("`", max(3, longest+1))
	w.WriteString("\n\n")
	w.WriteString(fence)
	w.WriteString(info)
	w.WriteString("\n")
	if code != "" {
		// The block's own final newline is not part of the code; the rest is.
		code = strings.TrimSuffix(code, "\n")
		w.WriteString(strings.ReplaceAll(code, "\n", string(marker.BytesMarkerCodeBlockNewline)))
		w.WriteString("\n")
	}
	w.WriteString(fence)
	w.WriteString("\n\n")
	return converter.RenderSuccess
}

// codeText writes the text of n to b, a line break for each <br> and
// <div>, and returns the first language named by a class on the way.
func codeText(b *strings.Builder, n *html.Node, info string) string {
	switch n.Type {
	case html.TextNode:
		// A lone carriage return ends a line for most Markdown readers;
		// left in a code block, it could end the block.
		b.WriteString(crlf.Replace(n.Data))
		return info
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Br, atom.Div:
			b.WriteString("\n")
		case atom.Pre, atom.Code:
			if info == "" {
				info = language(rules.Attr(n, "class"))
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		info = codeText(b, c, info)
	}
	return info
}

var crlf = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// language returns the language a class list names ("language-go",
// "lang-go"). A backtick would end the fence's info string and let the
// code out as Markdown, and braces could read as template syntax: a name
// with either is no name.
func language(class string) string {
	for _, c := range strings.Fields(class) {
		name, ok := strings.CutPrefix(c, "language-")
		if !ok {
			name, ok = strings.CutPrefix(c, "lang-")
		}
		if !ok || name == "" {
			continue
		}
		if strings.ContainsFunc(name, func(r rune) bool { return r == '`' || r == '{' || r == '}' || r < ' ' || r == 0x7f }) {
			return ""
		}
		return name
	}
	return ""
}

// keepLanguage copies the class of the code element inside pre onto pre
// when pre has none: the CommonMark plugin removes code elements with no
// text before rendering, and an empty block's language would go with it.
func keepLanguage(pre *html.Node) {
	if rules.Attr(pre, "class") != "" {
		return
	}
	for c := pre.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Code {
			if class := rules.Attr(c, "class"); class != "" {
				pre.Attr = append(pre.Attr, html.Attribute{Key: "class", Val: class})
			}
			return
		}
	}
}

// setCodeApart puts a space before inline code where what ends right
// before it would take in its backticks, and the code's text would be read
// as Markdown, "<" and all:
//   - a URL or address ("http://e.example/users/<code>id</code>"): the
//     bare-URL autolinks of marked and markdown-it, which Hexo uses, take
//     the backtick into the URL;
//   - code in another element ("<code>a</code><a><code>b</code></a>"): the
//     two backtick strings would touch and read as one. Code elements side
//     by side in one parent are merged by the converter instead.
func setCodeApart(ctx converter.Context, n *html.Node) {
	if n.Type != html.ElementNode || !codeElements[n.DataAtom] || inside(n, atom.Pre) {
		return
	}
	run, near := runBefore(ctx, n)
	if run == "" {
		return
	}
	if c := codeAround(near); c != nil && c.Parent != n.Parent ||
		strings.Contains(run, "://") || strings.Contains(strings.ToLower(run), "www.") || strings.Contains(run, "@") {
		n.Parent.InsertBefore(&html.Node{Type: html.TextNode, Data: " "}, n)
	}
}

// runBefore returns the text that ends right before n in its block, back to
// the nearest white space as JavaScript readers see it (the run an
// autolink could take in), across elements; and the text node nearest n.
// It looks at most at 64 nodes back.
func runBefore(ctx converter.Context, n *html.Node) (string, *html.Node) {
	var parts []string
	var near *html.Node
	x := n
	for range 64 {
		x = leafBefore(ctx, x)
		if x == nil || x.Type == html.ElementNode && x.DataAtom == atom.Br {
			break
		}
		if x.Type != html.TextNode {
			parts = append(parts, "x") // a picture or other element: no white space
			continue
		}
		if near == nil {
			near = x
		}
		i := strings.LastIndexFunc(x.Data, isJSSpace)
		parts = append(parts, x.Data[i+1:])
		if i >= 0 {
			break
		}
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return b.String(), near
}

// leafBefore returns the node that ends right before x in its block: the
// last leaf of its previous sibling, or of its parent's; nil at the
// block's start.
func leafBefore(ctx converter.Context, x *html.Node) *html.Node {
	for {
		if p := x.PrevSibling; p != nil {
			if isBlock(ctx, p) {
				return nil
			}
			for p.Type == html.ElementNode && p.LastChild != nil {
				p = p.LastChild
			}
			return p
		}
		x = x.Parent
		if x == nil || isBlock(ctx, x) || x.DataAtom == atom.Td || x.DataAtom == atom.Th || x.DataAtom == atom.Body {
			return nil
		}
	}
}

// isJSSpace is white space as JavaScript's \s sees it, which the autolink
// patterns of marked and markdown-it stop at.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// codeAround returns the code element t is in, or nil.
func codeAround(t *html.Node) *html.Node {
	if t == nil {
		return nil
	}
	for p := t.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && codeElements[p.DataAtom] {
			return p
		}
	}
	return nil
}

var codeElements = map[atom.Atom]bool{atom.Code: true, atom.Kbd: true, atom.Samp: true, atom.Tt: true, atom.Var: true}

// renderCodeSpan writes inline code. White space runs read as one space,
// as a browser shows them (a line break would end a table row). The
// backtick string is one no run inside the code has, and a space pads both
// ends where the code starts or ends with a backtick, or with a space at
// both ends, which a reader strips one of.
func renderCodeSpan(_ converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	if inside(n, atom.Pre) {
		return converter.RenderTryNext
	}
	var b strings.Builder
	codeText(&b, n, "")
	raw := b.String()
	if strings.ContainsAny(raw, "`]") && insideLink(n) {
		// marked reads only single-backtick code spans in a link's text:
		// a "]" inside a longer one would end the text there.
		w.WriteString(literalText(raw))
		return converter.RenderSuccess
	}
	if strings.Contains(raw, `\\|`) && (inside(n, atom.Td) || inside(n, atom.Th)) {
		// A backslash before a pipe in a cell's code: GFM readers take
		// "\\|" for a backslash and an escaped pipe, marked for an escaped
		// backslash and a cell border, which would let the rest of the
		// code out as Markdown. No code span reads the same to both, so
		// the code is written as text, every punctuation mark escaped.
		w.WriteString(literalText(strings.ReplaceAll(raw, `\|`, "|")))
		return converter.RenderSuccess
	}
	code := strings.Join(strings.FieldsFunc(raw, isCodeSpace), " ")
	if code == "" {
		if raw == "" {
			return converter.RenderSuccess
		}
		code = " " // white space alone shows as a space
	} else {
		if isCodeSpace(rune(raw[0])) {
			code = " " + code
		}
		if isCodeSpace(rune(raw[len(raw)-1])) {
			code += " "
		}
	}
	ticks := strings.Repeat("`", spanTicks(code))
	pad := ""
	if code[0] == '`' || code[len(code)-1] == '`' ||
		code[0] == ' ' && code[len(code)-1] == ' ' && strings.Trim(code, " ") != "" {
		pad = " "
	}
	w.WriteString(ticks + pad + code + pad + ticks)
	return converter.RenderSuccess
}

// literalText writes s as Markdown text that every reader shows as s: each
// ASCII punctuation mark behind a backslash, "<" and "&" as references,
// white space runs as one space.
func literalText(s string) string {
	var b strings.Builder
	for _, r := range strings.Join(strings.FieldsFunc(s, isCodeSpace), " ") {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '&':
			b.WriteString("&amp;")
		case r < 128 && isASCIIPunct(byte(r)):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isCodeSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' }

// spanTicks returns the length of the shortest backtick string that no
// run of backticks in code has.
func spanTicks(code string) int {
	runs := backtickRuns(code)
	n := 1
	for runs[n] {
		n++
	}
	return n
}

// backtickRuns returns the lengths of the runs of backticks in s.
func backtickRuns(s string) map[int]bool {
	runs := map[int]bool{}
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		runs[j-i] = true
		i = j
	}
	return runs
}

// insideLink reports whether n is inside a link with a destination.
func insideLink(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if isLink(p) {
			return true
		}
	}
	return false
}

// inside reports whether n has an ancestor with tag a.
func inside(n *html.Node, a atom.Atom) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == a {
			return true
		}
	}
	return false
}
