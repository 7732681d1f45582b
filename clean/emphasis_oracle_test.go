package clean

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The emphasis resolver works in one pass over a line. On the lines the
// renderer writes (markers well nested: the runes they are made of are
// taken out of the post first) it must place every delimiter exactly where
// the first version, which rescanned the line after each span, did: that
// version is kept here as the reference.
func TestResolveLineAgreesWithRescanning(t *testing.T) {
	text := []rune{'a', 'b', '字', ' ', '，', '：', '*', '[', ']', '(', ')', '"', '\\', '&', ';', '#', '!', 'x', '1'}
	rng := rand.New(rand.NewPCG(1, 2))
	var gen func(depth int) []rune
	gen = func(depth int) []rune {
		var out []rune
		span := false // the last item was a span
		for range rng.IntN(5) {
			if depth < 3 && rng.IntN(2) == 0 {
				if span {
					out = append(out, separator) // touching spans, as the renderer separates them
				}
				open := []rune{strongOpen, emOpen}[rng.IntN(2)]
				out = append(append(append(out, open), gen(depth+1)...), open+1)
				span = true
				continue
			}
			for range 1 + rng.IntN(4) {
				out = append(out, text[rng.IntN(len(text))])
			}
			span = false
		}
		return out
	}
	for range 200000 {
		line := string(gen(0))
		if got, want := resolveLine(line), oldResolveLine(line); got != want {
			t.Fatalf("resolveLine(%q) = %q, want %q", line, got, want)
		}
	}
	for _, line := range []string{
		"鸣禽" + string(strongOpen) + "，" + string(strongClose) + "对",
		string(strongOpen) + "：[x](u)" + string(strongClose) + "作为",
		strings.Repeat("x"+string(strongOpen)+"，bold"+string(strongClose)+"y ", 50),
		string(strongOpen) + "a" + string(emOpen) + "b" + string(emClose) + string(strongClose) + "#tag",
	} {
		if got, want := resolveLine(line), oldResolveLine(line); got != want {
			t.Errorf("resolveLine(%q) = %q, want %q", line, got, want)
		}
	}
}

func oldResolveLine(line string) string {
	for {
		rs := []rune(line)
		open := -1
		done := true
		for i, r := range rs {
			switch r {
			case strongOpen, emOpen:
				open = i
			case strongClose, emClose:
				if open < 0 || rs[open]+1 != r {
					continue // unbalanced: dropped below
				}
				rs = oldPlaceSpan(rs, open, i)
				done = false
			}
			if !done {
				break
			}
		}
		line = string(rs)
		if done {
			// Whatever markers are left never paired: drop them.
			return strings.Map(func(r rune) rune {
				if isMarker(r) {
					return -1
				}
				return r
			}, line)
		}
	}
}

func oldPlaceSpan(rs []rune, open, close int) []rune {
	strong := rs[open] == strongOpen
	content := append([]rune(nil), rs[open+1:close]...)
	before, after := rs[:open], append([]rune(nil), rs[close+1:]...)
	prev := lastVisible(before)
	next := firstVisible(after)

	// A delimiter that touches a run of "*" as long as itself (another
	// emphasis's) would merge with it: "**a****b**" is one strong with
	// asterisks inside. A space keeps the two apart; underscores would too,
	// but a post should keep one delimiter style. Runs of different length
	// are parsed apart ("**a***b*" is strong then emphasis).
	size := 1
	if strong {
		size = 2
	}
	if starRun(before, true, '*') == size {
		before = append(append([]rune(nil), before...), ' ')
		prev = ' '
	}
	if out, ok := oldTryDelimiter(before, content, after, prev, next, size); ok {
		return out
	}
	// Punctuation alone between letters ("鸣禽**，**对"), or a link at the
	// edge that cannot move ("**：[x](u)**作为"): a space on a side that
	// cannot flank lets it render, and changes no word.
	if isAllPunct(content) || opensLink(content) || closesLink(content) {
		if !canOpen(prev, content[0]) {
			before = append(append([]rune(nil), before...), ' ')
			prev = ' '
		}
		if !canClose(content[len(content)-1], next) {
			after = append([]rune{' '}, after...)
			next = ' '
		}
		if out, ok := oldTryDelimiter(before, content, after, prev, next, size); ok {
			return out
		}
	}
	// It would not render: keep the text alone.
	return append(append(append([]rune(nil), before...), content...), after...)
}

func oldTryDelimiter(before, content, after []rune, prev, next rune, size int) ([]rune, bool) {
	lead, trail := edges(content, prev, next)
	if lead == trail {
		// Punctuation alone: take in the word that follows, if it is short.
		k := 0
		for k < len(after) && !isSpace(after[k]) && !isPunct(after[k]) && !isMarker(after[k]) && after[k] != separator {
			k++
		}
		if k == 0 || k > maxTakenIn {
			return nil, false
		}
		content = append(append([]rune(nil), content...), after[:k]...)
		after = after[k:]
		next = firstVisible(after)
		lead, trail = edges(content, prev, next)
	}
	inner := content[lead:trail]
	if len(inner) == 0 || !flanks(prevOf(content, lead, prev), inner, nextOf(content, trail, next), '*') {
		return nil, false
	}
	delim := []rune(strings.Repeat("*", size))
	var out []rune
	out = append(out, before...)
	out = append(out, content[:lead]...)
	out = append(out, delim...)
	out = append(out, inner...)
	out = append(out, delim...)
	out = append(out, content[trail:]...)
	return append(out, after...), true
}
