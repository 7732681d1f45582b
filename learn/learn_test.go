package learn

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"github.com/mdclean/mdclean/rules"
)

func body(t *testing.T, src string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var b *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "body" {
			b = n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	return b
}

func TestBlocksOf(t *testing.T) {
	got, total := blocksOf(body(t, `<h2>Heading</h2><p>One  paragraph.</p>`+
		`<div>lead text<br>上一篇：<a href="/a">A</a><br><a href="/b">only a link</a><p>inner</p>tail</div>`+
		`<pre>code</pre><ul><li>item</li></ul><p><img src="/qr.png"></p>`))
	var desc []string
	for _, b := range got {
		desc = append(desc, fmt.Sprintf("%s:%s:%v", b.kind, b.text, b.linked))
	}
	want := []string{"p:One paragraph.:false", "line:lead text:false", "line:上一篇：A:false", "line:only a link:true",
		"p:inner:false", "line:tail:false", "li:item:false", "img:/qr.png:false"}
	if strings.Join(desc, "|") != strings.Join(want, "|") {
		t.Errorf("blocks:\n%s\nwant\n%s", strings.Join(desc, "\n"), strings.Join(want, "\n"))
	}
	if total == 0 {
		t.Error("no text counted")
	}
}

// A family needs a label: a word and a delimiter toward the varying part.
func TestFamilyPattern(t *testing.T) {
	stats := func(texts ...string) []*stat {
		var out []*stat
		for _, s := range texts {
			out = append(out, &stat{masked: digits.ReplaceAllString(s, mask)})
		}
		return out
	}
	for _, c := range []struct {
		texts   []string
		ok      bool
		matches []string
		not     []string
	}{
		{[]string{"上一篇：城市观察", "上一篇：夜市经济的二三事"}, true, []string{"上一篇：老街"}, []string{"下一篇：老街", "上一篇：" + strings.Repeat("长", 300)}},
		{[]string{"责任编辑：张三", "责任编辑：李四"}, true, []string{"责任编辑：王五"}, []string{"编辑：王五"}},
		{[]string{"（记者 张三 报道）", "（记者 李四 报道）"}, true, []string{"（记者 王五 报道）"}, nil},
		{[]string{"Source: Reuters", "Source: AP News"}, true, []string{"Source: AFP"}, nil},
		{[]string{"Apple has announced a new phone", "Apple chief executive Tim Cook said"}, false, nil, nil},
		{[]string{"2021-08-17，星期二", "2022-01-16 于萨斯卡通"}, false, nil, nil},
	} {
		pat, _, ok := familyPattern(stats(c.texts...), "", false)
		if ok != c.ok {
			t.Errorf("%q: family %v (%q), want %v", c.texts, ok, pat, c.ok)
			continue
		}
		if !ok {
			continue
		}
		re := regexp.MustCompile(pat)
		for _, s := range append(c.texts, c.matches...) {
			if !re.MatchString(s) {
				t.Errorf("%q does not match %q", pat, s)
			}
		}
		for _, s := range c.not {
			if re.MatchString(s) {
				t.Errorf("%q matches %q", pat, s)
			}
		}
	}
}

// learnFrom runs the whole learner on posts given as bodies by group, the
// groups in order and each group's posts first to last (or last to first).
func learnFrom(t *testing.T, opts Options, groups map[string][]string, order []string, reversed ...bool) string {
	t.Helper()
	l := New(opts)
	posts := func(fn func(Post)) {
		for _, g := range order {
			for k := range groups[g] {
				i := k
				if len(reversed) > 0 && reversed[0] {
					i = len(groups[g]) - 1 - k
				}
				fn(Post{Name: fmt.Sprintf("%s/%02d.md", g, i+1), Groups: []string{g}, Body: body(t, groups[g][i]),
					Env: rules.Env{Path: fmt.Sprintf("%s/%02d.md", g, i+1)}})
			}
		}
	}
	posts(l.Add)
	if err := l.Propose(); err != nil {
		t.Fatal(err)
	}
	for again := true; again; {
		posts(l.Check)
		var err error
		if again, err = l.Settle(); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := l.Write(&b); err != nil {
		t.Fatal(err)
	}
	if _, err := rules.Parse("learned.yaml", b.Bytes()); err != nil {
		t.Fatalf("learned rules do not parse: %v\n%s", err, b.String())
	}
	return b.String()
}

func TestLearner(t *testing.T) {
	article := func(i int) string {
		return fmt.Sprintf(`<p>第%d篇文章的正文第一段，讲述了一件发生在城市里的小事，细节丰富，篇幅也不短。</p>`+
			`<p>第二段继续展开，引用了几位受访者的说法，并给出了记者自己的观察与判断。</p>`+
			`<p>第三段是结尾，总结全文的观点，也提出了几个值得继续关注的问题。</p>`, i)
	}
	site := []string{}
	for i := range 6 {
		site = append(site, article(i)+fmt.Sprintf(`<p>责任编辑：编辑%c</p><p>本站所有文章均为原创，转载请联系。</p>`, '甲'+rune(i)))
	}
	other := []string{}
	for i := range 4 {
		other = append(other, article(i+10)+`<p>本站所有文章均为原创，转载请联系。</p>`)
	}
	groups := map[string][]string{"site": site, "other": other}
	out := learnFrom(t, Options{}, groups, []string{"site", "other"})
	if !strings.Contains(out, `*责任编辑：.{`) {
		t.Errorf("the editor line was not learned:\n%s", out)
	}
	if strings.Contains(out, "本站所有文章均为原创") {
		t.Errorf("a line both sources hold was learned:\n%s", out)
	}
	if strings.Contains(out, "第二段") {
		t.Errorf("article text was learned:\n%s", out)
	}
	// The same posts in another order make the same bytes.
	if again := learnFrom(t, Options{}, groups, []string{"other", "site"}); again != out {
		t.Errorf("order changed the output:\n%s\nvs\n%s", out, again)
	}
	// A rule that would take too much of a post is dropped.
	big := []string{}
	for i := range 4 {
		big = append(big, `<p>`+strings.Repeat("只有这一段话在每篇里都一样，而且几乎就是全文。", 5)+`</p><p>短`+fmt.Sprint(i)+`</p>`)
	}
	if out := learnFrom(t, Options{}, map[string][]string{"big": big}, []string{"big"}); strings.Contains(out, "只有这一段话") {
		t.Errorf("a rule taking most of each post was kept:\n%s", out)
	}
}

// Blocks met several times in each post are the article's structure.
func TestRepeatsAreStructure(t *testing.T) {
	var posts []string
	for i := range 6 {
		posts = append(posts, fmt.Sprintf(`<p>正文%d，讲一件事情的来龙去脉，写得足够长，让它像一篇真正的文章那样有内容可读。</p>`, i)+
			fmt.Sprintf(`<p>记者：问题一%c？</p><p>回答一，说了很多很多话，也写得足够长。</p><p>记者：问题二%c？</p><p>回答二，同样说了很多。</p>`, '甲'+rune(i), '乙'+rune(i))+
			`<p>责任编辑：某某</p>`)
	}
	out := learnFrom(t, Options{}, map[string][]string{"iv": posts}, []string{"iv"})
	if strings.Contains(out, "记者：") {
		t.Errorf("interview questions were learned:\n%s", out)
	}
	if !strings.Contains(out, "责任编辑：某某") {
		t.Errorf("the footer was not learned:\n%s", out)
	}
}

// Stamps are short bracketed names at a paragraph's edge, beside text of
// the paragraph's own.
func TestStamps(t *testing.T) {
	lede := "关于此事的消息近日传出，各方交换了意见。"
	for text, want := range map[string]string{
		"【晨报讯 记者 张三】" + lede:     "^【晨报讯 记者 张三】",
		lede + "[Example 报道]":    "$[Example 报道]",
		"（记者 李四）" + lede + "（完）": "^（记者 李四）", // 完 is one letter: no stamp
		lede + "(2)":        "", // a number, no name
		lede + "（见下表，单位：元）": "", // a sentence
		"【晨报讯】":             "", // all stamp: a block of its own
		lede + "「引语」":       "", // quotation marks are no stamp
	} {
		var got []string
		for _, s := range stamps(text) {
			got = append(got, s[0]+s[1])
		}
		if strings.Join(got, "|") != want {
			t.Errorf("stamps(%q) = %q, want %q", text, got, want)
		}
	}
}

// A banner is a link with pictures and no text, through a shortener or with
// a campaign tag, to another site than the pictures'; a photo linked to its
// full size on its own site, or a product page linked from a CDN's picture,
// is none.
func TestBanners(t *testing.T) {
	got, _ := blocksOf(body(t, `<p><a href="https://s.example.net/x1"><img src="https://img.example.com/ad.jpg"></a></p>`+
		`<p><a href="https://www.example.com/photo/1"><img src="https://img.example.com/1.jpg"></a></p>`+
		`<p><a href="https://s.example.net/x2"><img src="https://img.example.com/2.jpg"> caption</a></p>`+
		`<p><a href="https://Shop.Example.org/y"><img src="http://192.0.2.1/3.jpg"></a></p>`+
		`<p><a href="https://example.com/products/widget-1"><img src="https://cdn.example-cdn.com/w1.jpg"></a></p>`+
		`<p><a href="https://sponsor.example/offers/winter?utm_source=blog"><img src="https://img.example.com/w.jpg"></a></p>`))
	var banners []string
	for _, b := range got {
		if b.kind == "banner" {
			banners = append(banners, b.text)
		}
	}
	if want := "s.example.net|shop.example.org|sponsor.example"; strings.Join(banners, "|") != want {
		t.Errorf("banners %q, want %s", banners, want)
	}
}

// A long block learned whole: a disclaimer every post ends with. The long
// article paragraphs around it are met once and never learned.
func TestLongBlocks(t *testing.T) {
	disclaimer := strings.Repeat("本网站转载的文章仅代表作者本人观点，不代表本网站赞同其观点或证实其内容的真实性。", 6)
	var posts []string
	for i := range 6 {
		var b strings.Builder
		for j := range 8 {
			fmt.Fprintf(&b, "<p>第%d篇第%d段：%s</p>", i, j, strings.Repeat(fmt.Sprintf("这一段讲的是第%d件事的第%d个方面，内容各不相同。", i, j), 8))
		}
		posts = append(posts, b.String()+"<p>"+disclaimer+"</p>")
	}
	out := learnFrom(t, Options{}, map[string][]string{"long": posts}, []string{"long"})
	if !strings.Contains(out, "本网站转载的文章仅代表作者本人观点") {
		t.Errorf("the long disclaimer was not learned:\n%s", out)
	}
	if strings.Contains(out, "这一段讲的是") {
		t.Errorf("article text was learned:\n%s", out)
	}
	if n := strings.Count(out, "- name:"); n != 1 {
		t.Errorf("%d rules, want 1:\n%s", n, out)
	}
}

// A label family's sibling is learned from fewer posts: a "next" link
// only the older posts have, beside the "previous" link every post has.
// A label in as few posts that is no sibling is not.
func TestSiblingLabels(t *testing.T) {
	var posts []string
	for i := range 8 {
		p := fmt.Sprintf(`<p>第%d篇的正文，讲了一件事情的来龙去脉，写得足够长，像一篇真正的文章。</p><p>第二段%d，补充了一些细节和背景。</p>`, i, i)
		if i < 2 {
			p += fmt.Sprintf(`<p>作者简介：某某%d，长期关注这个领域。</p>`, i)
		}
		p += fmt.Sprintf(`<p>上一篇：<a href="/p/%d">旧文标题%c</a><br>`, i, '甲'+rune(i))
		if i < 2 {
			p += fmt.Sprintf(`下一篇：<a href="/p/%d">新文标题%c</a>`, i+2, '乙'+rune(i))
		}
		posts = append(posts, p+`</p>`)
	}
	out := learnFrom(t, Options{}, map[string][]string{"blog": posts}, []string{"blog"})
	if !strings.Contains(out, `*上一篇：.{`) || !strings.Contains(out, `*下一篇：.{`) {
		t.Errorf("the navigation lines were not both learned:\n%s", out)
	}
	if strings.Contains(out, "作者简介") {
		t.Errorf("a label of two posts that is no sibling was learned:\n%s", out)
	}
}

// Learned rules and what they do to posts they were not learned from.
func applyLearned(t *testing.T, learned, src string) string {
	t.Helper()
	set, err := rules.Parse("learned.yaml", []byte(learned))
	if err != nil {
		t.Fatal(err)
	}
	b := body(t, src)
	set.Apply(b, rules.Env{Path: "news/99.md"})
	var out strings.Builder
	for c := b.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&out, c); err != nil {
			t.Fatal(err)
		}
	}
	return out.String()
}

// A stamp rule takes the stamp at the paragraph's edge, and no bracket of
// the same words after a link in its middle.
func TestStampRuleStaysAtTheEdge(t *testing.T) {
	var posts []string
	for i := range 6 {
		posts = append(posts, fmt.Sprintf(`<p>(Example News) The harbor council met on day %c to discuss the budget for the coming year.</p>`+
			`<p>Residents asked about the ferry timetable and the old station roof, item %c.</p>`, 'A'+rune(i), 'K'+rune(i)))
	}
	out := learnFrom(t, Options{}, map[string][]string{"news": posts}, []string{"news"})
	if !strings.Contains(out, "at: start") {
		t.Fatalf("no stamp rule at the start:\n%s", out)
	}
	got := applyLearned(t, out, `<p>(Example News) Shares of <a href="https://corp.example/">Example Corp</a> (Example News) fell.</p>`)
	if want := `<p>Shares of <a href="https://corp.example/">Example Corp</a> (Example News) fell.</p>`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// A long block another group holds is not learned, whatever order the
// posts come in, and the evidence of one that is learned names what it
// removed from the posts first by name.
func TestLongBlocksOfOtherGroups(t *testing.T) {
	notice := strings.Repeat("All rights reserved by the publisher; no part of this page may be copied without written leave. ", 3)
	article := func(g string, i int) string {
		return fmt.Sprintf(`<p>%s %d: %s</p><p>%s</p>`, g, i, strings.Repeat(fmt.Sprintf("Story %s%d tells of a day in the harbor, of boats and weather and people. ", g, i), 12),
			strings.Repeat(fmt.Sprintf("More of story %s%d, with quotes from the people who were there. ", g, i), 12))
	}
	a, b := []string{}, []string{}
	for i := range 6 {
		p := article("a", i)
		if i < 3 {
			p += "<p>" + notice + "</p>"
		}
		a = append(a, p)
	}
	for i := range 3 {
		p := article("b", i)
		if i == 0 {
			p += "<p>" + notice + "</p>"
		}
		b = append(b, p)
	}
	groups := map[string][]string{"a": a, "b": b}
	for _, order := range [][]string{{"a", "b"}, {"b", "a"}} {
		if out := learnFrom(t, Options{}, groups, order); strings.Contains(out, "All rights reserved") {
			t.Errorf("order %v: a long block another group holds was learned:\n%s", order, out)
		}
	}
	// Alone, it is learned, and its evidence is the same in any order.
	groups = map[string][]string{"a": a}
	out := learnFrom(t, Options{}, groups, []string{"a"})
	if !strings.Contains(out, "# a/01.md: All rights reserved") || !strings.Contains(out, "# a/02.md: All rights reserved") {
		t.Errorf("the evidence does not name the first posts:\n%s", out)
	}
	if rev := learnFrom(t, Options{}, groups, []string{"a"}, true); rev != out {
		t.Errorf("posts in reverse order wrote other bytes:\n%s\nvs\n%s", rev, out)
	}
}

// A sibling goes when the family it leans on goes: here another source
// holds the family's label too.
func TestSiblingDroppedWithItsFamily(t *testing.T) {
	var blog, other []string
	for i := range 6 {
		p := fmt.Sprintf(`<p>第%d篇的正文，讲了一件事情的来龙去脉，写得足够长，像一篇真正的文章。</p><p>第二段%d，补充了一些细节和背景。</p>`, i, i)
		p += fmt.Sprintf(`<p>上一篇：旧文标题%c</p>`, '甲'+rune(i))
		if i < 2 {
			p += fmt.Sprintf(`<p>下一篇：新文标题%c</p>`, '乙'+rune(i))
		}
		blog = append(blog, p)
	}
	for i := range 3 {
		other = append(other, fmt.Sprintf(`<p>另一个来源的第%d篇正文，内容不同，也写得足够长，像一篇真正的文章。</p><p>上一篇：别的标题%c</p>`, i, '丙'+rune(i)))
	}
	out := learnFrom(t, Options{}, map[string][]string{"blog": blog, "other": other}, []string{"blog", "other"})
	if strings.Contains(out, "下一篇") || strings.Contains(out, "上一篇") {
		t.Errorf("the navigation was learned though another source has it:\n%s", out)
	}
}

func TestSharedEnding(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"上一篇：", "下一篇：", true},
		{"上一篇：", "上一篇：", false},
		{"Credit:", "Edit:", false},
		{"Photo credit:", "Video credit:", true},
		{"记者：", "编辑：", false},
	} {
		if got := sharedEnding([]rune(c.a), []rune(c.b)); got != c.want {
			t.Errorf("sharedEnding(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

// The learner's white space is its patterns': every character blank
// matches collapses, and no other.
func TestBlankIsIsBlank(t *testing.T) {
	re := regexp.MustCompile("^" + blank + "$")
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		if re.MatchString(string(r)) != isBlank(r) {
			t.Errorf("U+%04X: blank %v, isBlank %v", r, re.MatchString(string(r)), isBlank(r))
		}
	}
}

// A family's varying part is a name, a date or a title; prose that shares
// a label or a closing tag is not one.
func TestFamiliesOfProse(t *testing.T) {
	var posts []string
	for i := range 8 {
		posts = append(posts, fmt.Sprintf(`<p>第%d篇的正文，讲了一件事情的来龙去脉，写得足够长，像一篇真正的文章。</p><p>第二段%d，补充了一些细节和背景。</p>`, i, i)+
			fmt.Sprintf(`<p>Update: the council wrote on day %c that the harbor closes in June, not May, and that the ferry keeps running until the new pier opens in the autumn.</p>`, 'A'+rune(i)))
	}
	if out := learnFrom(t, Options{}, map[string][]string{"blog": posts}, []string{"blog"}); strings.Contains(out, "Update:") {
		t.Errorf("a paragraph of prose was learned as a template:\n%s", out)
	}
}

// A family whose label starts like a hash's mark is still checked by its
// pattern: another group's block that only starts alike does not drop it.
func TestFamilyLeadsAreText(t *testing.T) {
	a, b := []string{}, []string{}
	for i := range 6 {
		a = append(a, fmt.Sprintf(`<p>第%d篇的正文，讲了一件事情的来龙去脉，写得足够长，像一篇真正的文章。</p><p>#Topic: harbor notes %c</p>`, i, 'A'+rune(i)))
	}
	for i := range 3 {
		b = append(b, fmt.Sprintf(`<p>另一个来源的第%d篇，写得足够长，也像一篇真正的文章。</p><p>#Tuesday market notes from the harbor desk</p>`, i))
	}
	if out := learnFrom(t, Options{}, map[string][]string{"a": a, "b": b}, []string{"a", "b"}); !strings.Contains(out, "#Topic:") {
		t.Errorf("the #Topic: family was not learned:\n%s", out)
	}
}

// A family's rule reads real text: a member whose varying part holds a
// long number is still matched.
func TestFamiliesWithNumbers(t *testing.T) {
	var posts []string
	for i := range 6 {
		posts = append(posts, fmt.Sprintf(`<p>第%d篇的正文，讲了一件事情的来龙去脉，写得足够长，像一篇真正的文章。</p>`, i)+
			fmt.Sprintf(`<p>上一篇：a title of some seven words here, No. 2026113000%d%c</p>`, i, 'A'+rune(i)))
	}
	out := learnFrom(t, Options{}, map[string][]string{"news": posts}, []string{"news"})
	got := applyLearned(t, out, `<p>正文。</p><p>上一篇：another title of some eight words here, No. 202611300012345</p>`)
	if strings.Contains(got, "上一篇") {
		t.Errorf("a member with a longer number was left: %s\n%s", got, out)
	}
}

// A line rule's evidence is the whole line, in any order the posts come.
func TestEvidenceOfLines(t *testing.T) {
	var posts []string
	for i := range 6 {
		posts = append(posts, strings.Repeat(fmt.Sprintf(`<p>第%d篇的正文，讲了一件事情的来龙去脉，写得足够长，像一篇真正的文章。</p>`, i), 4)+
			`<p>S<br><em>Thanks</em> for reading the harbor paper every morning<br>Thanks again to <em>our readers</em> in the valley today</p>`)
	}
	groups := map[string][]string{"d": posts}
	out := learnFrom(t, Options{}, groups, []string{"d"})
	for _, want := range []string{"# d/01.md: Thanks again to our readers in the valley today\n", "# d/02.md: Thanks again to our readers in the valley today\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q:\n%s", want, out)
		}
	}
	if rev := learnFrom(t, Options{}, groups, []string{"d"}, true); rev != out {
		t.Errorf("posts in reverse order wrote other bytes:\n%s\nvs\n%s", rev, out)
	}
}
