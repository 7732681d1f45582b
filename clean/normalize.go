package clean

import (
	"bytes"
	"strings"
	"unicode"
)

// Normalize makes converted Markdown a fixed point: no trailing white space
// (hard breaks are backslashes), no hard break that ends a paragraph, no runs
// of blank lines, no leading blank lines and exactly one final newline. Fenced
// code, in lists and quotes too, is left exactly as it is.
func Normalize(md []byte) []byte {
	lines := strings.Split(string(md), "\n")
	out := make([]string, 0, len(lines))
	fence := ""
	for _, line := range lines {
		if fence != "" {
			out = append(out, line)
			if isFenceClose(line, fence) {
				fence = ""
			}
			continue
		}
		if f := fenceOpen(line); f != "" {
			fence = f
			out = append(out, line)
			continue
		}
		line = strings.TrimRightFunc(line, isTrailingBlank)
		if line == "" || isBlankLine(line) {
			if len(out) == 0 || out[len(out)-1] == "" {
				continue // leading blank line, or a run
			}
			if out = dropDanglingBreak(out); len(out) > 0 && out[len(out)-1] != "" {
				out = append(out, "")
			}
			continue
		}
		out = append(out, line)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return nil
	}
	if fence == "" {
		out = dropDanglingBreak(out)
	}
	var b bytes.Buffer
	b.Grow(len(md) + 1)
	for _, l := range out {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func isTrailingBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000'
}

func isBlankLine(s string) bool {
	return strings.TrimFunc(s, isTrailingBlank) == "" || strings.TrimSpace(s) == "&nbsp;"
}

// dropDanglingBreak removes a hard-break backslash from the last line when a
// blank line or the end follows: it would render as a literal backslash.
func dropDanglingBreak(out []string) []string {
	i := len(out) - 1
	if i < 0 {
		return out
	}
	l := out[i]
	if endsHardBreak(l) {
		out[i] = strings.TrimRightFunc(l[:len(l)-1], isTrailingBlank)
		if out[i] == "" {
			return dropDanglingBreak(out[:i])
		}
	}
	return out
}

// inContainer returns a line without the quote markers, list markers and
// indentation of the lists and quotes it is in. A fence inside a list item is indented
// by the item's width, one inside a quote follows "> ": both are fences to
// the reader, and their code must be left as it is. (A top-level line
// indented four spaces is indented code, not a fence; taking it for one
// only leaves a few lines untrimmed, where missing a fence would alter
// code.)
func inContainer(line string) string {
	for {
		t := strings.TrimLeft(line, " ")
		switch {
		case strings.HasPrefix(t, ">"):
			line = strings.TrimPrefix(t[1:], " ")
		case listMarkerLen(t) > 0:
			line = t[listMarkerLen(t):] // a fence can open an item: "- ```"
		default:
			return t
		}
	}
}

// listMarkerLen returns the length of the list marker and the space after
// it that open t ("- ", "* ", "+ ", "12. ", "3) "), or 0.
func listMarkerLen(t string) int {
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	switch {
	case i == 0 && len(t) > 1 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ':
		return 2
	case i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' ':
		return i + 2
	}
	return 0
}

// fenceOpen returns the fence a line opens ("```", "~~~~", ...) or "".
func fenceOpen(line string) string {
	t := inContainer(line)
	if len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return ""
	}
	n := len(t) - len(strings.TrimLeft(t, t[:1]))
	if n < 3 {
		return ""
	}
	if t[0] == '`' && strings.Contains(t[n:], "`") {
		return "" // an info string with a backtick is not a fence
	}
	return t[:n]
}

func isFenceClose(line, fence string) bool {
	t := inContainer(line)
	if !strings.HasPrefix(t, fence) {
		return false
	}
	return strings.TrimRight(strings.TrimLeft(t, fence[:1]), " \t") == ""
}
