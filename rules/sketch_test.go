package rules

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// sketchOf sketches s split into text nodes of a few runes each, with
// elements between them, as a document's text arrives.
func sketchOf(s string) *sketch {
	var nodes []*html.Node
	r := []rune(s)
	for i := 0; i < len(r); i += 3 {
		nodes = append(nodes, &html.Node{Type: html.ElementNode, Data: "b"},
			&html.Node{Type: html.TextNode, Data: string(r[i:min(i+3, len(r))])})
	}
	sk := new(sketch)
	sk.read(nodes)
	return sk
}

func TestSketch(t *testing.T) {
	text := "本文转载自某公众号，未经授权不得转载。All Rights Reserved. THE END"
	sk := sketchOf(text)
	for _, c := range []struct {
		re   string
		want bool
	}{
		{`未经.{0,12}授权`, true},
		{`(?i)all rights reserved`, true},
		{`(?i)ALL RIGHTS`, true},
		{`THE END`, true},
		{`。`, true},
		{`(?i)the end`, true},
		{`相关阅读|推荐阅读`, false},
		{`(?i)(follow us|subscribe to)`, false},
		{`THE END!`, false},
		{`[0-9]+`, true}, // no literal: never ruled out
	} {
		if got := mustPattern(c.re).mayOccur(sk); got != c.want {
			t.Errorf("mayOccur(%q) on %q = %v, want %v", c.re, text, got, c.want)
		}
	}
	// Reading again forgets the last text.
	sk.read([]*html.Node{{Type: html.TextNode, Data: "x"}})
	if mustPattern(`未经`).mayOccur(sk) {
		t.Error("the sketch kept a text read before")
	}
}

// A rule whose literal is spread over several text nodes still finds its
// element, and one whose literal an earlier rule's removal brings together
// finds it too: the sketch is read again after every change.
func TestPresentAcrossNodes(t *testing.T) {
	const rule = "select: p\ntext: '^THE END$'\naction: remove"
	for in, want := range map[string]string{
		"<p>THE <b>E</b>ND</p><p>x</p>": "<p>x</p>",
		"<p>THE EN</p><p>D</p>":         "<p>THE EN</p><p>D</p>",
	} {
		if got, _ := apply(t, rule, in, Env{}); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
	src := `version: 1
rules:
  - name: marks
    description: test
    select: i
    action: remove
  - name: ends
    description: test
    select: p
    text: '^THE END$'
    action: remove
`
	set, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader("<p>THE E<i>x</i>ND</p><p>y</p>"))
	if err != nil {
		t.Fatal(err)
	}
	set.Apply(doc, Env{})
	if got := innerBody(t, doc); got != "<p>y</p>" {
		t.Errorf("after a removal joined the literal: got %q", got)
	}

	// An action that writes text makes the sketch be read again.
	src = `version: 1
rules:
  - name: ends
    description: test
    select: p
    text: '^THE END$'
    action: remove
  - name: spell
    description: test
    select: p
    action: {replace-text: {pattern: 'FIN', with: 'END'}}
  - name: ends-again
    description: test
    select: p
    text: '^THE END$'
    action: remove
`
	if set, err = Parse("t.yaml", []byte(src)); err != nil {
		t.Fatal(err)
	}
	if doc, err = html.Parse(strings.NewReader("<p>THE FIN</p><p>y</p>")); err != nil {
		t.Fatal(err)
	}
	set.Apply(doc, Env{})
	if got := innerBody(t, doc); got != "<p>y</p>" {
		t.Errorf("after a replacement wrote the literal: got %q", got)
	}
}
