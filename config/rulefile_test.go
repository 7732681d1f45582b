//go:build unix

package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// secret stands for a file outside the repository that a hostile config
// names; no error may show a byte of it.
const secret = "root:$6$SECRETHASH:19000:0:99999:7:::\n"

func TestConfigRuleFilesStayInTheRepo(t *testing.T) {
	root := t.TempDir()
	repo := filepath.Join(root, "repo")
	write(t, filepath.Join(root, "shadow"), secret)
	write(t, filepath.Join(repo, "rules", "site.yaml"), "version: 1\nrules: []\n")
	write(t, filepath.Join(repo, "big.yaml"), strings.Repeat("#\n", MaxRuleFileSize/2+1))
	must(t, os.Symlink(filepath.Join(root, "shadow"), filepath.Join(repo, "link.yaml")))
	must(t, os.Symlink(root, filepath.Join(repo, "up")))
	must(t, os.Symlink("/dev/zero", filepath.Join(repo, "zero.yaml")))
	must(t, os.Symlink("rules/site.yaml", filepath.Join(repo, "inside.yaml")))
	must(t, syscall.Mkfifo(filepath.Join(repo, "fifo.yaml"), 0o644))

	for _, tc := range []struct{ entry, want string }{
		{"rules/site.yaml", ""},
		{"inside.yaml", ""}, // a link that stays inside is fine
		{"../shadow", "outside the config file's directory; refused"},
		{filepath.Join(root, "shadow"), "outside the config file's directory; refused"},
		{"rules/../../shadow", "outside the config file's directory; refused"},
		{"link.yaml", "outside the config file's directory; refused"},
		{"up/shadow", "outside the config file's directory; refused"},
		{"zero.yaml", "outside the config file's directory; refused"},
		{"fifo.yaml", "not a regular file"},
		{"rules", "is a directory"},
		{"big.yaml", fmt.Sprintf("larger than %d bytes; not a rule file", MaxRuleFileSize)},
		{"none.yaml", "no such file or directory"},
	} {
		cfgPath := filepath.Join(repo, FileName)
		write(t, cfgPath, "# a hostile repository\nrules:\n  - "+tc.entry+"\n")
		c, err := Load(cfgPath)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		var data []byte
		go func() { data, err = c.ReadRules(0); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: reading hangs", tc.entry)
		}
		if tc.want == "" {
			if err != nil || !strings.Contains(string(data), "version: 1") {
				t.Errorf("%s: %q, %v", tc.entry, data, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: read %d bytes; want %q", tc.entry, len(data), tc.want)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, cfgPath+":3:5: rules: ") || !strings.HasSuffix(msg, ": "+tc.want) ||
			strings.Contains(msg, "SECRET") || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q; want one line at %s:3:5 ending %q", tc.entry, msg, FileName, tc.want)
		}
	}
}

func TestRuleFileOnTheCommandLine(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "elsewhere", "rules.yaml"), "version: 1\n")
	must(t, syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644))
	// The user chose the file: any regular file will do, wherever it is.
	if data, err := ReadRuleFile(filepath.Join(root, "elsewhere", "rules.yaml")); err != nil || string(data) != "version: 1\n" {
		t.Errorf("a regular file: %q, %v", data, err)
	}
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(root, "fifo"), "not a regular file"},
		{"/dev/zero", "not a regular file"},
		{root, "is a directory"},
	} {
		if _, err := ReadRuleFile(tc.path); err == nil || err.Error() != tc.path+": "+tc.want {
			t.Errorf("%s: %v; want %q", tc.path, err, tc.want)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
