package clean

import (
	"bytes"
	"regexp"
	"slices"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Hexo runs post bodies through Nunjucks, so "{{", "{%" or "{#" in an
// article's text breaks the site build, silently eats text, or runs code on
// the machine that builds the site. Hexo's order matters for escaping: it
// takes template tags out before rendering Markdown and puts them back
// after, then runs Nunjucks on the page, with "{" and "}" in code blocks and
// <code> elements already turned into entities, so code never reaches
// Nunjucks as a template.

// escapedOpener matches what EscapeTemplates writes for each opener: a
// Nunjucks expression that prints the two characters.
var escapedOpener = regexp.MustCompile(`\{\{ "(\{[{%#]|#\})" \}\}`)

// templateOpener matches what Nunjucks acts on in text: the three openers,
// and "#}", which it refuses outside a comment.
var templateOpener = regexp.MustCompile(`\{[{%#]|#\}`)

// HasTemplateSyntax reports template syntax a Nunjucks run would act on in a
// Markdown body: openers outside code, other than the escapes
// EscapeTemplates writes.
func HasTemplateSyntax(body []byte) bool {
	if !hasOpener(body) {
		return false // the common case, without parsing
	}
	skip := append(codeRanges(body), matchRanges(escapedOpener, body)...)
	return len(liveOpeners(body, skip)) > 0
}

// EscapeTemplates writes every template opener outside code as a Nunjucks
// expression that prints it: "{{" becomes {{ "{{" }}, and likewise "{%",
// "{#" and "#}". Nunjucks shows the text exactly as it was, whatever follows it; no
// content can end the escape early, as "endraw" could end a raw block, since
// each opener is escaped on its own. Code spans and code blocks are left as
// they are: Hexo keeps them from Nunjucks itself, and an escape there would
// show.
func EscapeTemplates(md []byte) []byte {
	if !hasOpener(md) {
		return md
	}
	var out bytes.Buffer
	last := 0
	for _, m := range liveOpeners(md, codeRanges(md)) {
		out.Write(md[last:m[0]])
		out.WriteString(`{{ "`)
		out.Write(md[m[0]:m[1]])
		out.WriteString(`" }}`)
		last = m[1]
	}
	out.Write(md[last:])
	return out.Bytes()
}

func hasOpener(b []byte) bool {
	return bytes.Contains(b, []byte("{{")) || bytes.Contains(b, []byte("{%")) || bytes.Contains(b, []byte("{#")) || bytes.Contains(b, []byte("#}"))
}

// liveOpeners returns the openers in md outside the skipped ranges. Both
// are taken in document order, so the walk is linear however many code
// spans a post has.
func liveOpeners(md []byte, skip [][2]int) [][]int {
	slices.SortFunc(skip, func(a, b [2]int) int { return a[0] - b[0] })
	var live [][]int
	k := 0
	for _, m := range templateOpener.FindAllIndex(md, -1) {
		for k < len(skip) && skip[k][1] <= m[0] {
			k++ // ranges wholly before this opener
		}
		// An opener is skipped when either of its two bytes is in a range.
		if k < len(skip) && skip[k][0] <= m[0]+1 {
			continue
		}
		live = append(live, m)
	}
	return live
}

func matchRanges(re *regexp.Regexp, b []byte) [][2]int {
	var rs [][2]int
	for _, m := range re.FindAllIndex(b, -1) {
		rs = append(rs, [2]int{m[0], m[1]})
	}
	return rs
}

// codeRanges returns the byte ranges of code spans and code blocks in md, in
// order, as a CommonMark reader finds them.
func codeRanges(md []byte) [][2]int {
	var rs [][2]int
	doc := markdownReader.Parser().Parse(text.NewReader(md))
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock:
			// The fence lines too: Hexo escapes the info string with the code.
			lines := n.Lines()
			if lines.Len() == 0 {
				if n.Info != nil {
					rs = append(rs, [2]int{n.Info.Segment.Start, n.Info.Segment.Stop})
				}
				return ast.WalkSkipChildren, nil
			}
			start, stop := lines.At(0).Start, lines.At(lines.Len()-1).Stop
			start = bytes.LastIndexByte(md[:max(start-1, 0)], '\n') + 1 // the opening fence line
			if i := bytes.IndexByte(md[stop:], '\n'); i >= 0 {
				stop += i + 1 // the closing fence line
			} else {
				stop = len(md)
			}
			rs = append(rs, [2]int{start, stop})
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock:
			if lines := n.Lines(); lines.Len() > 0 {
				rs = append(rs, [2]int{lines.At(0).Start, lines.At(lines.Len() - 1).Stop})
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			start, stop := -1, 0
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					if start < 0 {
						start = t.Segment.Start
					}
					stop = t.Segment.Stop
				}
			}
			if start >= 0 {
				rs = append(rs, [2]int{start, stop})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return rs
}
