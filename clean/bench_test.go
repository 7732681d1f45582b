package clean_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2"

	"github.com/mdclean/mdclean/clean"
)

// newsPost builds a post shaped like the scraped news posts mdclean is made
// for: front matter, then paragraphs each stamped with a hidden watermark and
// followed by stray breaks, an image, and an ad block between comments.
// paragraphs=40 gives about 10 KB, the size of a typical post.
func newsPost(paragraphs int) []byte {
	var b strings.Builder
	b.WriteString("\n---\ntitle: 'Benchmark post'\ncategories:\n - News\nauthor: News\n---\n\n<div>\n<span class=\"black_14p\">")
	for i := 0; i < paragraphs; i++ {
		fmt.Fprintf(&b, `<p style="text-indent:2em">　　第%d段：市政府今天公布了新的交通规划，计划在三年内修建两条地铁线路和十个公交枢纽。<font color="#F8F8F8">Mitbbs.com</font><br></p><br>`, i)
		switch i % 10 {
		case 3:
			b.WriteString(`<p></p><br><img src="https://img.example.com/news/pic.jpg" referrerpolicy="no-referrer"><p style="text-indent:2em"></p>`)
		case 6:
			b.WriteString("<!--广告画开始-->\n<div><table height=\"280\" width=\"336\"><tbody><tr><td>\n<!-- slot -->\n" +
				"<ins class=\"adsbygoogle\" style=\"display:inline-block;width:336px;height:280px\" data-ad-client=\"ca-pub-0\" data-ad-slot=\"1\"></ins>\n" +
				"</td></tr></tbody></table></div>\n<!--广告画结束-->\n")
		}
	}
	b.WriteString("</span>\n</div>\n")
	return []byte(b.String())
}

func BenchmarkCleanNewsPost(b *testing.B) {
	c := defaultCleaner(b)
	post := newsPost(40)
	b.SetBytes(int64(len(post)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Clean("", post); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCleanMarkdownPost measures the pass-through of an already clean
// post: the common case for a pre-commit hook.
func BenchmarkCleanMarkdownPost(b *testing.B) {
	c := defaultCleaner(b)
	res, err := c.Clean("", newsPost(40))
	if err != nil {
		b.Fatal(err)
	}
	post := res.Output
	b.SetBytes(int64(len(post)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Clean("", post); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNewsPostIsClean(t *testing.T) {
	res, err := defaultCleaner(t).Clean("", newsPost(40))
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.Output)
	for _, junk := range []string{"Mitbbs.com", "adsbygoogle", "<", "\u3000", "\\\n\n"} {
		if strings.Contains(out, junk) {
			t.Errorf("benchmark post output holds %q", junk)
		}
	}
	if n := strings.Count(out, "市政府"); n != 40 {
		t.Errorf("%d paragraphs survived, want 40", n)
	}
}

// BenchmarkParseConvertNewsPost is the floor BenchmarkCleanNewsPost is
// judged against: the same body parsed and converted by html-to-markdown's
// own entry point, with no rules, no front matter and no checks.
func BenchmarkParseConvertNewsPost(b *testing.B) {
	post := newsPost(40)
	body := string(post[bytes.Index(post, []byte("\n---\n\n"))+6:])
	b.SetBytes(int64(len(post)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := htmltomarkdown.ConvertString(body); err != nil {
			b.Fatal(err)
		}
	}
}

// tablePost is a post whose body is one table of n rows; emphasisPost one
// paragraph of n bold and italic runs. They, and shapePost's, are the
// shapes that once grew faster than their size: BenchmarkScaling reports
// nanoseconds per element at 1k, 10k and 100k, which stay level when the
// work is linear.
func tablePost(n int) []byte {
	var b strings.Builder
	b.WriteString("---\ntitle: table\n---\n<table><tr><th>#</th><th>name</th><th>note</th></tr>")
	for i := range n {
		fmt.Fprintf(&b, "<tr><td>%d</td><td>项目 %d</td><td><b>ok</b> | x</td></tr>", i, i)
	}
	b.WriteString("</table>\n")
	return []byte(b.String())
}

// shapePost is a post whose body is open, then n times unit, then close:
// the other shapes that once grew faster than their size.
func shapePost(open, unit, close string) func(int) []byte {
	return func(n int) []byte {
		return []byte("---\ntitle: shape\n---\n" + open + strings.Repeat(unit, n) + close + "\n")
	}
}

func emphasisPost(n int) []byte {
	var b strings.Builder
	b.WriteString("---\ntitle: emphasis\n---\n<p>")
	for i := range n {
		fmt.Fprintf(&b, "<b>粗体%d</b>文字<i>斜体</i> ", i)
	}
	b.WriteString("</p>\n")
	return []byte(b.String())
}

func BenchmarkScaling(b *testing.B) {
	c := defaultCleaner(b)
	for _, shape := range []struct {
		name string
		post func(int) []byte
	}{
		{"table", tablePost},
		{"emphasis", emphasisPost},
		{"breaks-in-emphasis", shapePost("<p><i>", "床前明月光<br>", "</i></p>")},
		{"ordered-lists", shapePost("", "<ol><li>a</li></ol>", "")},
		{"heading-emphases", shapePost("<h2>", "<b>x</b>y", "</h2>")},
		{"cells-with-piped-code", shapePost("<table><tr><th>a</th></tr>", "<tr><td><code>a|b</code></td></tr>", "</table>")},
		{"tildes", shapePost("<p>", "~", "`</p>")},
	} {
		for _, n := range []int{1000, 10000, 100000} {
			post := shape.post(n)
			b.Run(fmt.Sprintf("%s/%dk/clean", shape.name, n/1000), func(b *testing.B) {
				for b.Loop() {
					if _, err := c.Clean("", post); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/element")
			})
			body := string(post[bytes.Index(post, []byte("\n---\n"))+5:])
			b.Run(fmt.Sprintf("%s/%dk/parse+convert", shape.name, n/1000), func(b *testing.B) {
				for b.Loop() {
					if _, err := htmltomarkdown.ConvertString(body); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/element")
			})
		}
	}
}

// benchPosts reads the posts BenchmarkCleanPosts and
// BenchmarkParseConvertPosts share: the files MDCLEAN_BENCH_POSTS matches
// (a glob; bench/batch.sh points it at ../shared/corpus when present), or
// else the golden inputs. Each comes with its body, as html-to-markdown
// takes it.
func benchPosts(b *testing.B) (posts [][]byte, bodies []string, size int64) {
	glob := os.Getenv("MDCLEAN_BENCH_POSTS")
	if glob == "" {
		glob = "../testdata/golden/*.in.md"
	}
	files, err := filepath.Glob(glob)
	if err != nil || len(files) == 0 {
		b.Fatalf("no posts match %q (%v)", glob, err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		p, err := clean.Split(src)
		if err != nil {
			continue // a post the pipeline refuses is no measure of either
		}
		posts, bodies = append(posts, src), append(bodies, string(p.Body))
		size += int64(len(src))
	}
	return posts, bodies, size
}

// BenchmarkCleanPosts cleans every post of benchPosts: real posts, where
// BenchmarkCleanNewsPost is one made-up shape.
func BenchmarkCleanPosts(b *testing.B) {
	c := defaultCleaner(b)
	posts, _, size := benchPosts(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range posts {
			c.Clean("", p) // some fixtures are refused on purpose
		}
	}
}

// BenchmarkParseConvertPosts is BenchmarkCleanPosts' floor: the same bodies
// through html-to-markdown's own entry point.
func BenchmarkParseConvertPosts(b *testing.B) {
	_, bodies, size := benchPosts(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			htmltomarkdown.ConvertString(body)
		}
	}
}
