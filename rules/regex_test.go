package rules

import (
	"regexp"
	"testing"
)

// newRegex refuses exactly what regexp.Compile refuses, with its message,
// and what it accepts runs as the compiled expression does.
func TestNewRegexChecksAsCompile(t *testing.T) {
	for _, src := range []string{`a(b`, `[z-a]`, `x{1001}`, `(?P<n>a)(?P<n>b)`, `\8`, `a**`, `(?<`, `\p{Nope}`, `[[:word:]]`,
		`(?i)^\s*(分享|share)$`, `x{2,5}y`, `((((((((((a))))))))))`, ``} {
		want, wantErr := regexp.Compile(src)
		got, err := newRegex(src)
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Errorf("%q: newRegex error %v, regexp.Compile error %v", src, err, wantErr)
			continue
		}
		if err == nil {
			for _, s := range []string{"", "a", "share", " 分享", "xxxxy", "ab"} {
				if got.MatchString(s) != want.MatchString(s) {
					t.Errorf("%q on %q: %v, compiled %v", src, s, got.MatchString(s), want.MatchString(s))
				}
			}
		}
	}
}
