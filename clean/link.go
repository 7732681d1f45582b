package clean

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"golang.org/x/net/html"

	"github.com/mdclean/mdclean/rules"
)

// renderLink writes a link with its destination as written. The
// converter's own renderer parses and re-encodes every URL: "(" became
// "%28", "*" in a query "%2A", "MAILTO:" "mailto:", each a different
// string from the one the page linked to. Here only what would end or
// break the destination is escaped, as for images. A link with no
// destination or no content is left to the converter, which writes its
// content alone.
func renderLink(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	href := strings.TrimSpace(rules.Attr(n, "href"))
	if href == "" {
		return converter.RenderTryNext
	}
	// The CommonMark plugin escapes "]" in text it knows is inside a link.
	ctx = ctx.WithValue("is_inside_link", true)
	var buf bytes.Buffer
	ctx.RenderChildNodes(ctx, &buf, n)
	content := buf.Bytes()
	trimmed := bytes.TrimFunc(content, unicode.IsSpace)
	// A hard break at the end of the text would escape the "]" and lose
	// the link (a <br> after a picture in a link is common); one at the
	// start shows nothing either.
	for isBreak(string(trimmed)) {
		trimmed = bytes.TrimRightFunc(trimmed[:len(trimmed)-1], unicode.IsSpace)
	}
	for bytes.HasPrefix(trimmed, []byte("\\\n")) {
		trimmed = bytes.TrimLeftFunc(trimmed[1:], unicode.IsSpace)
	}
	if len(trimmed) == 0 {
		return converter.RenderTryNext
	}
	start := bytes.Index(content, trimmed)
	w.Write(content[:start]) // white space at the edges stays outside
	w.WriteString("[")
	w.Write(linkText(trimmed))
	writeTarget(w, href, n)
	w.Write(content[start+len(trimmed):])
	return converter.RenderSuccess
}

// writeTarget writes what follows a link's or image's text: "](", the
// destination, the element's title if it has one, and ")".
func writeTarget(w converter.Writer, url string, n *html.Node) {
	w.WriteString("](")
	w.WriteString(destination(url))
	if title := oneLine(rules.Attr(n, "title")); title != "" {
		w.WriteString(` "`)
		w.WriteString(titleEscaper.Replace(title))
		w.WriteString(`"`)
	}
	w.WriteString(")")
}

// linkText keeps a link's text on consecutive lines: a blank line would
// end the paragraph, and the link with it.
func linkText(text []byte) []byte {
	if !bytes.Contains(text, []byte("\n")) {
		return text
	}
	var out []byte
	for _, line := range bytes.Split(text, []byte("\n")) {
		line = bytes.TrimLeftFunc(line, unicode.IsSpace)
		if len(line) == 0 {
			continue
		}
		if out != nil {
			out = append(out, '\n')
		}
		out = append(out, line...)
	}
	return out
}

// destination writes a URL as a Markdown link destination: white space and
// angle brackets percent-encoded, parentheses behind a backslash, so that
// a reader gets back the URL as written (inertURL has already encoded what
// a reader would otherwise decode). Control characters and bytes that are
// not UTF-8 (a redirect's target decoded from "%80") are percent-encoded:
// no URL holds them raw, and the post must stay UTF-8.
func destination(u string) string {
	if strings.IndexFunc(u, func(r rune) bool { return r < ' ' || r == 0x7f || r == utf8.RuneError }) >= 0 {
		var b strings.Builder
		for i := 0; i < len(u); {
			r, size := utf8.DecodeRuneInString(u[i:])
			if r < ' ' || r == 0x7f || r == utf8.RuneError {
				for _, c := range []byte(u[i : i+size]) {
					fmt.Fprintf(&b, "%%%02X", c)
				}
			} else {
				b.WriteString(u[i : i+size])
			}
			i += size
		}
		u = b.String()
	}
	return urlEscaper.Replace(u)
}
