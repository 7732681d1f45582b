package rules

import (
	"bytes"
	"testing"
)

func TestWriteTable(t *testing.T) {
	set, err := Parse("site.yaml", []byte(`version: 1
rules:
  - name: ads
    description: Ad slots.
    select: ins
    action: remove

  - name: signature-line
    description: The sign-off line.
    select: p
    action:
      replace-text: {pattern: 'Sent from .*', with: ''}
`))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := set.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	want := "ads             site.yaml:3  remove        Ad slots.\n" +
		"signature-line  site.yaml:8  replace-text  The sign-off line.\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	for _, tc := range []struct {
		set  *Set
		want string
	}{
		{set, "site.yaml: 2 rules ok\n"},
		{&Set{rules: set.rules[:1]}, "site.yaml: 1 rule ok\n"},
		{&Set{}, "site.yaml: 0 rules ok\n"},
	} {
		b.Reset()
		tc.set.WriteChecked(&b, "site.yaml")
		if b.String() != tc.want {
			t.Errorf("WriteChecked: %q, want %q", b.String(), tc.want)
		}
	}
	b.Reset()
	if err := (&Set{}).WriteTable(&b); err != nil || b.Len() != 0 {
		t.Errorf("empty set: %v %q", err, b.String())
	}
}
