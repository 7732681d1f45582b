package clean

import (
	"bytes"
	"regexp"
	"strings"
)

// Hexo runs post bodies through Nunjucks before Markdown, so "{{", "{%" or
// "{#" in an article's text breaks the site build, or silently eats text.

var templateSyntax = regexp.MustCompile(`\{[{%#]`)

// rawBlock matches a Nunjucks raw or verbatim block, inside which template
// syntax is printed as it is.
var rawBlock = regexp.MustCompile(`(?s)\{%-?\s*(raw|verbatim)\s*-?%\}.*?\{%-?\s*end(raw|verbatim)\s*-?%\}`)

// HasTemplateSyntax reports template syntax outside raw blocks in a body.
func HasTemplateSyntax(body []byte) bool {
	if !bytes.Contains(body, []byte("{{")) && !bytes.Contains(body, []byte("{%")) && !bytes.Contains(body, []byte("{#")) {
		return false // the common case, without a regexp
	}
	return templateSyntax.Match(rawBlock.ReplaceAll(body, nil))
}

// EscapeTemplates wraps each Markdown block (a paragraph, a list, a fenced
// code block) that holds template syntax in a Nunjucks raw block, so that
// Hexo prints it as written. Blocks already inside raw blocks are left alone.
func EscapeTemplates(md []byte) []byte {
	if !HasTemplateSyntax(md) {
		return md
	}
	lines := strings.SplitAfter(string(md), "\n")
	var out strings.Builder
	var block []string
	flush := func() {
		text := strings.Join(block, "")
		block = block[:0]
		if text == "" {
			return
		}
		if !templateSyntax.MatchString(text) || rawBlock.MatchString(text) {
			out.WriteString(text)
			return
		}
		open, end := "{% raw %}\n", "{% endraw %}\n"
		if strings.Contains(text, "endraw") {
			open, end = "{% verbatim %}\n", "{% endverbatim %}\n"
		}
		out.WriteString(open)
		out.WriteString(text)
		if !strings.HasSuffix(text, "\n") {
			out.WriteString("\n")
		}
		out.WriteString(end)
	}
	fence := ""
	for _, line := range lines {
		bare := strings.TrimRight(line, "\r\n")
		switch {
		case fence != "":
			block = append(block, line)
			if isFenceClose(bare, fence) {
				fence = ""
				flush()
			}
			continue
		case fenceOpen(bare) != "":
			flush()
			fence = fenceOpen(bare)
			block = append(block, line)
			continue
		case strings.TrimSpace(bare) == "":
			flush()
			out.WriteString(line)
			continue
		}
		block = append(block, line)
	}
	flush()
	return bytes.Clone([]byte(out.String()))
}
