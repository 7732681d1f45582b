package clean

import "bytes"

// Format says how to read a post's body.
type Format int

const (
	// Auto reads a body as HTML when it begins with an HTML element or
	// comment, and as Markdown otherwise.
	Auto Format = iota
	// HTML always cleans and converts the body.
	HTML
	// Markdown always passes the body through untouched.
	Markdown
)

// ParseFormat reads the --from flag's values.
func ParseFormat(s string) (Format, bool) {
	switch s {
	case "auto", "":
		return Auto, true
	case "html":
		return HTML, true
	case "markdown", "md":
		return Markdown, true
	}
	return Auto, false
}

// LooksLikeHTML reports whether body begins, after white space, with an HTML
// start tag, end tag, comment or doctype. Markdown that mdclean wrote never
// does (raw HTML is not emitted), so cleaning is idempotent by construction.
// It reads a few bytes only: a Markdown post is recognised without parsing.
func LooksLikeHTML(body []byte) bool {
	b := bytes.TrimLeft(body, " \t\r\n\f")
	if len(b) < 3 || b[0] != '<' {
		return false
	}
	if bytes.HasPrefix(b, []byte("<!--")) {
		return true
	}
	i := 1
	if b[i] == '/' || b[i] == '!' { // end tag, doctype
		i++
	}
	start := i
	for i < len(b) && (isASCIILetter(b[i]) || i > start && (b[i] >= '0' && b[i] <= '9' || b[i] == '-')) {
		i++
	}
	if i == start || i >= len(b) {
		return false
	}
	switch b[i] {
	case '>', ' ', '\t', '\r', '\n', '\f', '/':
		return true
	}
	return false
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
