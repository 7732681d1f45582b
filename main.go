// Command mdclean turns scraped blog posts (front matter and an HTML body)
// into clean Markdown, keeping the front matter byte for byte.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/mdclean/mdclean/clean"
	"github.com/mdclean/mdclean/rules"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Exit codes.
const (
	exitOK      = 0
	exitChanged = 1 // --check, -l or -d found posts that would change
	exitError   = 2
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	code := exitOK
	app := &cli.App{
		Name:      "mdclean",
		Usage:     "turn scraped blog posts into clean Markdown",
		UsageText: "mdclean [flags] [FILE ...]",
		Version:   version,
		Description: `mdclean reads posts made of front matter and a scraped HTML body, removes
the junk (ads, hidden watermarks, empty paragraphs, stray breaks, scripts)
with declarative YAML rules, converts the rest to Markdown, and writes the
post back with its front matter byte for byte. A body that is already
Markdown is passed through untouched, so cleaning twice changes nothing.

With no FILE, or with -, it reads standard input and writes standard output.

Examples:
   mdclean < post.md > clean.md
   mdclean post.md                     print the cleaned post
   mdclean --rules site.yaml post.md   add your own rules after the defaults
   mdclean --stats post.md >/dev/null  see which rules fired

Exit status: 0 success, 2 an error (named on stderr as FILE: reason).`,
		HideHelpCommand: true,
		Reader:          stdin,
		Writer:          stdout,
		ErrWriter:       stderr,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "rules", Usage: "add the rules of `FILE` after the defaults (repeatable)"},
			&cli.BoolFlag{Name: "no-default-rules", Usage: "do not apply the embedded default rules"},
			&cli.StringFlag{Name: "from", Value: "auto", Usage: "read bodies as `html`, markdown, or auto (HTML when the body starts with a tag)"},
			&cli.BoolFlag{Name: "stats", Usage: "print per-rule hit counts on stderr"},
		},
		Action: func(c *cli.Context) error {
			code = clean1(c, stdin, stdout, stderr)
			return nil
		},
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return fmt.Errorf("%w (see mdclean --help)", err)
		},
	}
	if err := app.Run(args); err != nil {
		fmt.Fprintln(stderr, "mdclean:", err)
		return exitError
	}
	return code
}

func clean1(c *cli.Context, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, err := options(c)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	cl := clean.New(opts)
	stats := clean.NewStats(opts.Rules)
	paths := c.Args().Slice()
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	code := exitOK
	for _, p := range paths {
		src, res, err := cl.CleanFile(p, stdin)
		stats.Add(src, res, err)
		if err != nil {
			fmt.Fprintln(stderr, err)
			code = exitError
			continue
		}
		if res.Warning != nil {
			fmt.Fprintln(stderr, "warning:", res.Warning)
		}
		if _, err := stdout.Write(res.Output); err != nil {
			fmt.Fprintln(stderr, "mdclean: writing output:", err)
			return exitError
		}
	}
	if c.Bool("stats") {
		stats.WriteRuleHits(stderr)
	}
	return code
}

// options turns flags into the pipeline's options: the rule set and the
// body format.
func options(c *cli.Context) (clean.Options, error) {
	from, ok := clean.ParseFormat(c.String("from"))
	if !ok {
		return clean.Options{}, fmt.Errorf("mdclean: --from: want html, markdown or auto, got %q", c.String("from"))
	}
	var sets []*rules.Set
	if !c.Bool("no-default-rules") {
		d, err := rules.Default()
		if err != nil {
			return clean.Options{}, err
		}
		sets = append(sets, d)
	}
	for _, f := range c.StringSlice("rules") {
		data, err := os.ReadFile(f)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return clean.Options{}, fmt.Errorf("%s: %w", f, err)
		}
		s, err := rules.Parse(f, data)
		if err != nil {
			return clean.Options{}, err
		}
		sets = append(sets, s)
	}
	set, err := rules.Merge(sets...)
	if err != nil {
		return clean.Options{}, err
	}
	return clean.Options{Rules: set, From: from}, nil
}
