package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The learner's golden: the rule file suggest writes for the fixture posts
// (a footer with a varying editor, a promo bar that changes halfway, a
// recurring QR image, an article sentence that recurs in the middle of a
// few posts, a second source sharing one closing line, and a source whose
// posts repeat whole paragraphs; a wire service's posts open with a
// stamp naming a varying reporter and carry a sponsor's banner). Run with MDCLEAN_UPDATE=1 to rewrite it,
// then read it.
func TestSuggestGolden(t *testing.T) {
	golden := filepath.Join("testdata", "suggest", "learned.yaml")
	code, out, errs := runCLI(t, "", "suggest", "-j", "2", filepath.Join("testdata", "suggest", "posts"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if os.Getenv("MDCLEAN_UPDATE") != "" {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := read(t, golden); out != want {
		t.Errorf("suggest wrote:\n%s\nwant (%s):\n%s", out, golden, want)
	}
	// The same bytes again, with one reader.
	if _, again, _ := runCLI(t, "", "suggest", "-j", "1", filepath.Join("testdata", "suggest", "posts")); again != out {
		t.Error("a second run wrote other bytes")
	}
	if !strings.Contains(errs, "directory testdata/suggest/posts/site: 8 posts, 4 rules") || !strings.Contains(errs, "would take") {
		t.Errorf("summary: %s", errs)
	}
	// The file passes rules check, and cleaning with it removes the
	// furniture and keeps the article, the recurring sentence included.
	if code, _, errs := runCLI(t, "", "rules", "check", golden); code != 0 {
		t.Fatalf("rules check: %s", errs)
	}
	for _, post := range []string{"01", "02", "05", "08"} {
		src := read(t, filepath.Join("testdata", "suggest", "posts", "site", post+".md"))
		code, cleaned, errs := runCLI(t, src, "--rules", golden, "--stdin-filename", "testdata/suggest/posts/site/"+post+".md")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", post, code, errs)
		}
		for _, junk := range []string{"责任编辑", "本月推荐", "follow-qr.png", "r.example.com"} {
			if strings.Contains(cleaned, junk) {
				t.Errorf("%s: %q left:\n%s", post, junk, cleaned)
			}
		}
		for _, text := range []string{"本报讯", "专家建议", "感谢阅读"} {
			if !strings.Contains(cleaned, text) {
				t.Errorf("%s: %q lost:\n%s", post, text, cleaned)
			}
		}
		if strings.Contains(src, "r.example.com") && !strings.Contains(cleaned, "(https://news.example.org/") {
			t.Errorf("%s: the redirect was not unwrapped to its destination:\n%s", post, cleaned)
		}
		if strings.Contains(src, "仍需更多实验验证") != strings.Contains(cleaned, "仍需更多实验验证") {
			t.Errorf("%s: the recurring article sentence was removed", post)
		}
	}
	// The wire's stamps go and its paragraphs stay; its banners lose their
	// sponsor links and keep their pictures; its photos keep the links to
	// their full size, on the photos' own site.
	for _, post := range []string{"01", "04", "05"} {
		src := read(t, filepath.Join("testdata", "suggest", "posts", "wire", post+".md"))
		_, cleaned, errs := runCLI(t, src, "--rules", golden, "--stdin-filename", "testdata/suggest/posts/wire/"+post+".md")
		if errs != "" {
			t.Fatalf("%s: %s", post, errs)
		}
		for _, junk := range []string{"【晨报讯", "s.example.net"} {
			if strings.Contains(cleaned, junk) {
				t.Errorf("wire %s: %q left:\n%s", post, junk, cleaned)
			}
		}
		for _, text := range []string{"的消息近日传出", "-large.jpg)", "（详见第"} {
			if !strings.Contains(cleaned, text) {
				t.Errorf("wire %s: %q lost:\n%s", post, text, cleaned)
			}
		}
		if strings.Contains(src, "banner-") != strings.Contains(cleaned, "banner-") {
			t.Errorf("wire %s: a banner's picture was lost:\n%s", post, cleaned)
		}
	}
	// A post of the other source is untouched by the site's rules.
	src := read(t, filepath.Join("testdata", "suggest", "posts", "other", "01.md"))
	_, with, _ := runCLI(t, src, "--rules", golden, "--stdin-filename", "testdata/suggest/posts/other/01.md")
	_, without, _ := runCLI(t, src, "--stdin-filename", "testdata/suggest/posts/other/01.md")
	if with != without {
		t.Error("learned rules changed a post of another source")
	}
}

func TestSuggestBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"suggest"},
		{"suggest", "--min-share", "0", "testdata"},
		{"suggest", "--min-share", "1.5", "testdata"},
		{"suggest", "--max-remove", "-1", "testdata"},
		{"suggest", "--min-posts", "0", "testdata"},
	} {
		if code, out, errs := runCLI(t, "", args...); code != 2 || out != "" || !strings.HasPrefix(errs, "mdclean: suggest:") {
			t.Errorf("%v: exit %d, out %q, err %q", args, code, out, errs)
		}
	}
	code, _, errs := runCLI(t, "", "suggest", "testdata/suggest/no-such-dir")
	if code != 2 || !strings.Contains(errs, "no-such-dir") {
		t.Errorf("missing path: exit %d, err %q", code, errs)
	}
}
