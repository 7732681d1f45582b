package clean

import (
	"errors"
	"testing"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		name, src, head, body, format string
		field                         string // a field that must parse, "" for none
		fieldsErr                     bool
	}{
		{"yaml", "---\ntitle: a\n---\n<p>x</p>\n", "---\ntitle: a\n---\n", "<p>x</p>\n", "yaml", "title", false},
		{"yaml lead and bom", "\ufeff\n\n---\ntitle: a\n---\nbody", "\ufeff\n\n---\ntitle: a\n---\n", "body", "yaml", "title", false},
		{"crlf", "---\r\ntitle: a\r\n---\r\nbody\r\n", "---\r\ntitle: a\r\n---\r\n", "body\r\n", "yaml", "title", false},
		{"closing with trailing blanks", "---\ntitle: a\n---  \nbody", "---\ntitle: a\n---  \n", "body", "yaml", "title", false},
		{"closing at end of file", "---\ntitle: a\n---", "---\ntitle: a\n---", "", "yaml", "title", false},
		{"toml", "+++\ntitle = \"a\"\n+++\nbody", "+++\ntitle = \"a\"\n+++\n", "body", "toml", "title", false},
		{"json bare", "{\"title\": \"a\"}\n;;;\nbody", "{\"title\": \"a\"}\n;;;\n", "body", "json", "title", false},
		{"json delimited", ";;;\n\"title\": \"a\"\n;;;\nbody", ";;;\n\"title\": \"a\"\n;;;\n", "body", "json", "title", false},
		{"no front matter", "<p>x</p>", "", "<p>x</p>", "", "", false},
		{"no front matter, lead", "\n\n<p>x</p>", "\n\n", "<p>x</p>", "", "", false},
		{"brace without ;;; is body", "{not front matter}\n<p>x</p>", "", "{not front matter}\n<p>x</p>", "", "", false},
		{"bad yaml is kept", "---\ntitle: [a\n---\nbody", "---\ntitle: [a\n---\n", "body", "yaml", "", true},
		{"bad toml is kept", "+++\ntitle = \n+++\nbody", "+++\ntitle = \n+++\n", "body", "toml", "", true},
		{"empty front matter", "---\n---\nbody", "---\n---\n", "body", "yaml", "", false},
		{"dashes inside values are not a delimiter", "---\na: '---'\nb: --- x\n---\nbody", "---\na: '---'\nb: --- x\n---\n", "body", "yaml", "a", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Split([]byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			if string(p.Head) != c.head || string(p.Body) != c.body || p.Format != c.format {
				t.Errorf("got head %q body %q format %q", p.Head, p.Body, p.Format)
			}
			if string(p.Head)+string(p.Body) != c.src {
				t.Errorf("head and body do not add up to the post")
			}
			fields, err := p.Fields()
			if c.field != "" && fields[c.field] == nil {
				t.Errorf("field %q not parsed: %v (%v)", c.field, fields, err)
			}
			if (err != nil) != c.fieldsErr {
				t.Errorf("Fields error = %v", err)
			}
		})
	}
}

func TestSplitUnclosed(t *testing.T) {
	for src, line := range map[string]int{
		"---\ntitle: a\n<p>x</p>\n": 1,
		"\n\n+++\ntitle = 1\n":      3,
		"---":                       1,
		";;;\n\"a\": 1\n":           1,
	} {
		_, err := Split([]byte(src))
		var u *UnclosedError
		if !errors.As(err, &u) || u.Line != line {
			t.Errorf("Split(%q) = %v, want unclosed on line %d", src, err, line)
		}
	}
}

func TestLooksLikeHTML(t *testing.T) {
	for body, want := range map[string]bool{
		"<p>x</p>":              true,
		"\n\n  <div class=a>":   true,
		"<!-- c -->text":        true,
		"<!DOCTYPE html><html>": true,
		"</p>":                  true,
		"<br/>":                 true,
		"<h1>Title</h1>":        true,
		"# Heading\n<p>x</p>":   false,
		"Text <b>bold</b>":      false,
		"<https://example.com>": false,
		"<user@example.com>":    false,
		"< p>":                  false,
		"<3 this":               false,
		"":                      false,
		"<p":                    false,
		"<custom-element>x":     true,
	} {
		if got := LooksLikeHTML([]byte(body)); got != want {
			t.Errorf("LooksLikeHTML(%q) = %v, want %v", body, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"\n\na\n\n\n\nb\n\n":                 "a\n\nb\n",
		"a  \n b \t\n":                       "a\n b\n",
		"a\\\nb\\\n\nc\\":                    "a\\\nb\n\nc\n",
		"a\\\\\n\nb":                         "a\\\\\n\nb\n",
		"x\n\\\n\ny":                         "x\n\ny\n",
		"```\ncode  \n\n\n\nmore\\\n```\n\n": "```\ncode  \n\n\n\nmore\\\n```\n",
		"~~~~\n```\nstill code\n~~~~\nz  ":   "~~~~\n```\nstill code\n~~~~\nz\n",
		"a\n\u00a0\u3000\n\nb":               "a\n\nb\n",
		"a\n&nbsp;\nb":                       "a\n\nb\n",
		"":                                   "",
		"\n \n":                              "",
	}
	for in, want := range cases {
		if got := string(Normalize([]byte(in))); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
		if got := string(Normalize([]byte(want))); got != want {
			t.Errorf("Normalize is not a fixed point on %q: %q", want, got)
		}
	}
}

// Two quotations in a row stay two quotes apart by a blank line: no rule
// the article never had comes between them.
func TestNormalizeKeepsQuotesApart(t *testing.T) {
	in := "> one\n\n> two\n"
	if got := string(Normalize([]byte(in))); got != in {
		t.Errorf("Normalize(%q) = %q", in, got)
	}
}
