package clean

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"
)

// Post is a post split into the bytes before its body, which are written back
// untouched, and the body.
type Post struct {
	// Head is everything before the body: a byte-order mark, leading blank
	// lines and the front matter block through its closing delimiter line.
	Head []byte
	// Body is the rest, as written.
	Body []byte
	// Format is "yaml", "toml", "json" or "" (no front matter).
	Format string
	// Newline is the line ending of the front matter ("\r\n" or "\n").
	Newline string
	// Matter is the front matter between its delimiters, as written; nil
	// when there is none. It is parsed only when asked (see Fields): most
	// posts meet no rule whose condition needs their fields.
	Matter []byte
}

// Fields parses the front matter's fields, for rule conditions; nil when
// there are none. The error says why they did not parse; the post is still
// cleaned and its front matter kept verbatim.
func (p Post) Fields() (map[string]any, error) {
	if p.Format == "" {
		return nil, nil
	}
	return parseFields(p.Format, p.Matter)
}

// UnclosedError is front matter that opens and never closes: the body cannot
// be told from the front matter, so nothing may be written.
type UnclosedError struct{ Line int }

func (e *UnclosedError) Error() string {
	return fmt.Sprintf("front matter opened on line %d is never closed", e.Line)
}

var bom = []byte("\xef\xbb\xbf")

// delimiters open and close front matter; JSON's opening is optional (Hexo
// accepts a bare JSON object followed by a ;;; line).
var delimiters = []struct{ delim, format string }{
	{"---", "yaml"},
	{"+++", "toml"},
	{";;;", "json"},
}

// Split separates a post into head and body. It fails only on front matter
// that never closes.
func Split(src []byte) (Post, error) {
	rest := bytes.TrimPrefix(src, bom)
	line := 1
	for { // leading blank lines
		l, after, ok := bytes.Cut(rest, []byte("\n"))
		if !ok || len(bytes.TrimSpace(l)) != 0 {
			break
		}
		rest, line = after, line+1
	}
	first, _, _ := bytes.Cut(rest, []byte("\n"))
	nl := "\n"
	if bytes.HasSuffix(first, []byte("\r")) {
		nl = "\r\n"
	}
	first = bytes.TrimRight(first, " \t\r")
	for _, d := range delimiters {
		if string(first) == d.delim {
			return splitDelimited(src, rest, line, d.delim, d.format, nl)
		}
	}
	if len(first) > 0 && first[0] == '{' {
		// Hexo JSON front matter: an object, then a ;;; line.
		if end, ok := closingLine(rest, 0, ";;;"); ok {
			return finish(src, rest, end, "json", nl, rest[:lineStart(rest, end)]), nil
		}
	}
	head := src[:len(src)-len(rest)]
	return Post{Head: head, Body: rest, Newline: nl}, nil
}

func splitDelimited(src, rest []byte, line int, delim, format, nl string) (Post, error) {
	open := bytes.IndexByte(rest, '\n') + 1
	if open == 0 {
		return Post{}, &UnclosedError{Line: line}
	}
	end, ok := closingLine(rest, open, delim)
	if !ok {
		return Post{}, &UnclosedError{Line: line}
	}
	return finish(src, rest, end, format, nl, rest[open:lineStart(rest, end)]), nil
}

// closingLine finds the first line at or after from that is delim (trailing
// blanks allowed) and returns the offset just past it.
func closingLine(b []byte, from int, delim string) (int, bool) {
	for i := from; i < len(b); {
		end := len(b)
		if j := bytes.IndexByte(b[i:], '\n'); j >= 0 {
			end = i + j + 1
		}
		if string(bytes.TrimRight(b[i:end], " \t\r\n")) == delim {
			return end, true
		}
		i = end
	}
	return 0, false
}

// lineStart returns the offset of the start of the line that ends at end.
func lineStart(b []byte, end int) int {
	i := bytes.LastIndexByte(b[:end-1], '\n')
	if end > 0 && b[end-1] != '\n' {
		i = bytes.LastIndexByte(b[:end], '\n')
	}
	return i + 1
}

func finish(src, rest []byte, end int, format, nl string, raw []byte) Post {
	headLen := len(src) - len(rest) + end
	return Post{Head: src[:headLen], Body: src[headLen:], Format: format, Newline: nl, Matter: raw}
}

func parseFields(format string, raw []byte) (map[string]any, error) {
	fields := map[string]any{}
	var err error
	switch format {
	case "yaml":
		err = yaml.Unmarshal(raw, &fields)
	case "toml":
		_, err = toml.Decode(string(raw), &fields)
	case "json":
		t := bytes.TrimSpace(raw)
		if len(t) == 0 || t[0] != '{' {
			t = append(append([]byte("{"), t...), '}')
		}
		err = json.Unmarshal(t, &fields)
	}
	if err != nil {
		return nil, fmt.Errorf("front matter is not valid %s (%v); kept as is, when: conditions on it do not match",
			formatName[format], oneLine(err.Error()))
	}
	return normalizeFields(fields), nil
}

var formatName = map[string]string{"yaml": "YAML", "toml": "TOML", "json": "JSON"}

// normalizeFields turns the list types of the three decoders into []any, so
// that rule conditions see one shape.
func normalizeFields(m map[string]any) map[string]any {
	for k, v := range m {
		switch l := v.(type) {
		case []string:
			out := make([]any, len(l))
			for i, s := range l {
				out[i] = s
			}
			m[k] = out
		case []map[string]any:
			out := make([]any, len(l))
			for i, s := range l {
				out[i] = s
			}
			m[k] = out
		}
	}
	return m
}

func oneLine(s string) string {
	return string(bytes.Join(bytes.Fields([]byte(s)), []byte(" ")))
}
