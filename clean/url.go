package clean

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"

	"github.com/mdclean/mdclean/rules"
)

// A destination is checked as every reader will see it. HTML has already
// decoded the attribute once; the Markdown we write is read again, and a
// CommonMark reader decodes entity references and backslash escapes in a
// link destination: "&#106;avascript:" and "javascript\:" are harmless
// relative URLs in the HTML, and javascript: URLs in the rendered page.

// safeDestination reports whether u runs no code when followed, whether it
// is read as written, with entities or backslash escapes decoded in either
// order, or with its percent-encoding undone.
func safeDestination(u string) bool {
	if !strings.ContainsAny(u, `&\%`) {
		return rules.IsSafeURL(u) // nothing to decode: the common case
	}
	// Every order and repetition of the decodings a reader may apply
	// (entities, backslash escapes, percent-encoding): "&#38;colon;"
	// becomes "&colon;", then ":". Each step only shortens the string, so
	// the set of forms is small and the search ends; each form is checked
	// as it is found.
	if !rules.IsSafeURL(u) {
		return false
	}
	seen := map[string]bool{u: true}
	for queue := []string{u}; len(queue) > 0 && len(seen) < 64; queue = queue[1:] {
		for _, w := range []string{html.UnescapeString(queue[0]), unescapePunct(queue[0]), percentDecode(queue[0])} {
			if seen[w] {
				continue
			}
			if !rules.IsSafeURL(w) {
				return false
			}
			seen[w] = true
			queue = append(queue, w)
		}
	}
	return true
}

// unescapePunct undoes CommonMark backslash escapes: a backslash before
// ASCII punctuation stands for that character.
func unescapePunct(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// percentDecode decodes every well-formed %XX and leaves the rest.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f' }

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

// entityRef matches what CommonMark would decode as an entity or numeric
// character reference.
var entityRef = regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

var entityRefAtStart = regexp.MustCompile(`^` + entityRef.String())

// startsReference reports whether s opens with what a CommonMark reader
// may decode as a character reference: "&name;", "&#123;" or "&#x1F;".
func startsReference(s string) bool { return entityRefAtStart.MatchString(s) }

// inertURL writes u so that a Markdown reader decodes nothing in it: a
// backslash and the "&" of anything that reads as a character reference
// are percent-encoded. The URL means the same to a server ("&" before
// "name;" in a real URL is vanishingly rare; "\" is not a URL character).
// A backtick is encoded too: it would pair with one of a later code span,
// which takes precedence over the link, and let that span's content out.
// So are braces, which Nunjucks would take for template syntax.
func inertURL(u string) string {
	if strings.Contains(u, "&") {
		u = entityRef.ReplaceAllStringFunc(u, func(m string) string { return "%26" + m[1:] })
	}
	return inertChars.Replace(u)
}

var inertChars = strings.NewReplacer(`\`, "%5C", "`", "%60", "{", "%7B", "}", "%7D", "|", "%7C")
