package rules

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestPrefilterNeverHidesAMatch checks the prefilter against the regexp on
// strings that match and strings that do not.
func TestPrefilterNeverHidesAMatch(t *testing.T) {
	patterns := []string{
		`[\x{200B}-\x{200F}\x{FEFF}]`, `THE END`, `(?i)the end`, `\s*THE END\s*$`, `[a-c]+x`,
		`x[0-9]{2,}`, `a|b`, `^$`, `.*`, `(foo)?bar`, `[\p{Han}]`,
		`(?i)(未经.{0,4}(授权|允许)|ftc\s*:|photos? by)`, `(?i)^\s*(disclosure|转载请注明)`, `(?i)sk|mask`, `x(?i:ks)y`,
		`\x{FFFD}`, `a\x{FFFD}b`, `\x00ab`, `(?i)\x00ab`,
		`a[0-9]*count`, `(?i)(like|zan)[-_]?(count|num)`, `(?i)(^|[\s_-])(share|social-share|ssba\w*)([\s_-]|$)`, `/(go|to)\?u=(https?|ahr0c)`,
	}
	inputs := []string{"", "plain text", "zero\u200bwidth", "bom\ufeff", "THE END", "the end", "  THE END  ",
		"aax", "x12", "x1", "b", "bar", "foobar", "汉字", "abc",
		"未经本站授权", "FTC: we", "Ftc :", "Photo by", "PHOTOS BY x", "  DISCLOSURE", "转载请注明出处",
		"\u017fk", "\u212a", "MA\u017f\u212a", "xK\u017fy", "xksy",
		"a1count", "acount", "like-count", "ZAN_NUM", "likes", "post share", "social-share-x", "ssba-wrap", "sharp",
		"/go?u=https://x", "/to?u=aHR0cHM6", "/go?u=ftp",
		"a\xffb", "x\xfe", "\x00ab", "\x00AB", strings.Repeat("long text, ", 40) + "LIKE-COUNT"} // long s and the Kelvin sign fold to s and k
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		pat := mustPattern(p)
		for _, in := range inputs {
			var cache string // the fold is cached between patterns: both paths
			if re.MatchString(in) && (!pat.possible(in, nil) || !pat.possible(in, &cache) || !pat.possible(in, &cache)) {
				t.Errorf("prefilter of %q rejects %q, which matches", p, in)
			}
			if re.MatchString(in) && !pat.mayOccur(sketchOf(in)) {
				t.Errorf("sketch of %q rules %q out, which matches", in, p)
			}
		}
	}
	for _, p := range []string{`[\x{200B}-\x{200F}]`, `THE END`, `[a-c]+x`, `x[0-9]{2,}`, `(?i)(未经|ftc)`, `(?i)sk|mask`} {
		if !mustPattern(p).filters() {
			t.Errorf("no prefilter for %q", p)
		}
	}
	for _, p := range []string{`.*`, `[0-9]*`, `(a)?`} {
		if mustPattern(p).filters() {
			t.Errorf("prefilter for %q, which can match the empty string", p)
		}
	}
}

// TestPrefilterTakesTheSharpestPart checks that of a sequence's required
// parts the prefilter looks for the one that rules out most: the longest
// shortest literal, then the fewest literals.
func TestPrefilterTakesTheSharpestPart(t *testing.T) {
	for p, want := range map[string][]string{
		`a[0-9]*count`: {"count"},
		`(?i)(like|zan|fav|digg)[-_]?(count|counts|num)`: {"\x00COUNT", "\x00NUM"},                      // after the parser factors "count|counts"
		`(?i)(share|social-share|ssba\w*)x`:              {"\x00SHARE", "\x00SOCIAL-SHARE", "\x00SSBA"}, // "s", factored out, joined again
		`ab(cd|ef)`:                                      {"abcd", "abef"},
		`/(go|to)\?u=(https?|ahr0c)`:                     {"?u=http", "?u=ahr0c"},
		`(?i)x=(https?|ahr0c)`:                           {"\x00X=HTTP", "\x00X=AHR0C"},
		`=(?i:https?)`:                                   {"\x00=HTTP"},
		`=\s*(http|ftp)`:                                 {"http", "ftp"},
	} {
		if got := requiredLiterals(mustSyntax(t, p)); !slices.Equal(got, want) {
			t.Errorf("%s: required literals %q, want %q", p, got, want)
		}
	}
}

func mustSyntax(t *testing.T, src string) *syntax.Regexp {
	t.Helper()
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	return re.Simplify()
}

// The fast paths of foldRune agree with the full orbit search.
func TestFoldRune(t *testing.T) {
	for r := rune(0); r < 0xB000; r++ {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		if foldRune(r) != m {
			t.Fatalf("foldRune(%U) = %U, want %U", r, foldRune(r), m)
		}
	}
}

func mustPattern(src string) *pattern {
	re, err := newRegex(src)
	if err != nil {
		panic(err)
	}
	return newPattern(re)
}

// FuzzPrefilter: for any regexp and text it matches, neither the
// prefilter (with and without a cached fold) nor the sketch rules the text
// out.
func FuzzPrefilter(f *testing.F) {
	for _, s := range []struct{ re, in string }{
		{`(?i)(like|zan|fav)[-_]?(count|num)`, "Like_Count"}, {`(?i)(^|[\s_-])(share|ssba\w*)([\s_-]|$)`, "x SSBA-y"},
		{`/(go|to)\?u=(https?|ahr0c)`, "/go?u=https://x"}, {`\x{FFFD}`, "a\xffb"}, {`(?i)ſ\x{212a}`, "SK"},
		{`a(?i:b)c`, "aBc"}, {`(?i)a(?-i:b)c`, "Abc"}, {`\Qa.b\E+`, "a.bb"}, {`^[\s\p{P}]*(相关|推荐阅读)`, "【相关"},
	} {
		f.Add(s.re, s.in)
	}
	f.Fuzz(func(t *testing.T, src, in string) {
		if len(src) > 100 || len(in) > 300 {
			return
		}
		re, err := regexp.Compile(src)
		if err != nil || !re.MatchString(in) {
			return
		}
		p := mustPattern(src)
		var cache string
		if !p.possible(in, nil) || !p.possible(in, &cache) || !p.possible(in, &cache) {
			t.Errorf("prefilter of %q rejects %q, which matches", src, in)
		}
		if utf8.ValidString(in) && !p.mayOccur(sketchOf(in)) {
			t.Errorf("sketch of %q rules %q out, which matches", in, src)
		}
	})
}
