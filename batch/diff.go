package batch

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// ANSI colours for diffs on a terminal.
const (
	colorReset = "\x1b[0m"
	colorBold  = "\x1b[1m"
	colorRed   = "\x1b[31m"
	colorGreen = "\x1b[32m"
	colorCyan  = "\x1b[36m"
)

// Diff returns a unified diff from old to new, labelled a/NAME and b/NAME
// so that `git apply -p1` takes it, coloured when color is set. NAME is
// the path as Git writes it (see gitPath).
func Diff(name string, old, new []byte, color bool) []byte {
	p := gitPath(name)
	d := []byte(udiff.Unified(quotePath("a/"+p), quotePath("b/"+p), string(old), string(new)))
	if !color {
		return d
	}
	var b bytes.Buffer
	inHunk := false // "---" and "+++" are headers only before the first hunk
	for _, line := range bytes.SplitAfter(d, []byte("\n")) {
		c := ""
		switch {
		case !inHunk && (bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("+++"))):
			c = colorBold
		case bytes.HasPrefix(line, []byte("@@")):
			c, inHunk = colorCyan, true
		case bytes.HasPrefix(line, []byte("-")):
			c = colorRed
		case bytes.HasPrefix(line, []byte("+")):
			c = colorGreen
		}
		if c == "" || len(line) == 0 {
			b.Write(line)
			continue
		}
		body := bytes.TrimSuffix(line, []byte("\n"))
		b.WriteString(c)
		b.Write(body)
		b.WriteString(colorReset)
		if len(body) < len(line) {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// gitPath is a post's path as Git names it in a patch: relative to the
// working directory when the post is below it, with forward slashes, and
// never starting with "/" (an absolute path elsewhere loses its leading
// slash, as "a//tmp/x.md" would not apply).
func gitPath(name string) string {
	// The file the path names, links resolved: "posts/link/../x.md" is
	// not "posts/x.md" when posts/link is a link.
	if r, err := filepath.Rel(realPath("."), realPath(name)); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(r)
	}
	return strings.TrimLeft(filepath.ToSlash(filepath.Clean(name)), "/") // outside the tree: git apply needs --directory or more
}

// quotePath quotes a patch path as Git does when it holds a double quote,
// a backslash or a control character: in double quotes, with C escapes
// (\t, \n, \", \\, octal for the rest). Other text, UTF-8 included, is
// written as it is, which git apply also reads.
func quotePath(p string) string {
	if !strings.ContainsFunc(p, func(r rune) bool { return r == '"' || r == '\\' || r < ' ' || r == 0x7f }) {
		return p
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		default:
			if c < ' ' || c == 0x7f {
				fmt.Fprintf(&b, "\\%03o", c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
