package batch

import (
	"bytes"

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
// so that `git apply -p1` takes it, coloured when color is set.
func Diff(name string, old, new []byte, color bool) []byte {
	d := []byte(udiff.Unified("a/"+name, "b/"+name, string(old), string(new)))
	if !color {
		return d
	}
	var b bytes.Buffer
	for _, line := range bytes.SplitAfter(d, []byte("\n")) {
		c := ""
		switch {
		case bytes.HasPrefix(line, []byte("---")), bytes.HasPrefix(line, []byte("+++")):
			c = colorBold
		case bytes.HasPrefix(line, []byte("@@")):
			c = colorCyan
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
