// Command mdclean turns scraped blog posts (front matter and an HTML body)
// into clean Markdown, keeping the front matter byte for byte.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/mdclean/mdclean/batch"
	"github.com/mdclean/mdclean/clean"
	"github.com/mdclean/mdclean/config"
	"github.com/mdclean/mdclean/progress"
	"github.com/mdclean/mdclean/rules"
)

// version may be set at build time with -ldflags "-X main.version=...";
// else it is read from the build (see buildVersion).
var version = ""

// buildVersion says which mdclean this is: the module version when it was
// installed with go install ...@vX, else the commit go build stamps in a
// clone (with -dirty for uncommitted changes), else "dev".
func buildVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}

// Exit codes.
const (
	exitOK      = 0
	exitChanged = 1 // --check, -l or -d found posts that would change
	exitError   = 2
	// An interrupted run exits as the shell reports a process killed by the
	// signal: 128 + its number (130 for SIGINT, 143 for SIGTERM).
	exitSignal = 128
)

const description = `mdclean reads posts made of front matter and a scraped HTML body, removes
the junk (ads, hidden watermarks, empty paragraphs, stray breaks, scripts)
with declarative YAML rules, converts the rest to Markdown, and writes the
post back with its front matter byte for byte. A body that is already
Markdown is passed through untouched, so cleaning twice changes nothing.

FILE may be a file or a directory, which is walked for *.md and *.markdown
(skipping hidden directories, node_modules, .mdcleanignore and .gitignore
matches). With no FILE, or with -, mdclean reads standard input and writes
standard output.

Examples:
   mdclean < post.md > clean.md         filter one post
   mdclean -w content/                  clean a whole tree in place
   mdclean --check content/             exit 1 if any post needs cleaning
   mdclean -d post.md                   show what cleaning would change
   mdclean -o clean/ content/           write cleaned copies to clean/
   mdclean --rules site.yaml post.md    add your own rules to the defaults
   mdclean explain post.md              show which rule changed what, and where
   mdclean rules                        list the rules in effect

A .mdclean.yaml in the working directory or above it (or --config FILE)
adds rule files, disables rules and narrows directory walks.

Exit status: 0 nothing to change or all written, 1 some post would change
(--check, -l, -d), 2 an error (each named on stderr as PATH: reason),
130/143 interrupted by SIGINT/SIGTERM (posts being written are finished).`

func main() {
	// Cleaning makes short-lived garbage and keeps little live data, so a
	// larger heap goal halves the time spent collecting for a few MB more.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// A huge post's parsed tree takes about seven times its size; past this
	// soft limit the collector works harder instead of letting the large
	// goal above multiply that (a 50 MB post stays under 500 MB).
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(384 << 20)
	}
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// quietDefaults drops the defaults help would print for a flag that is off
// or has no value of its own ("(default: false)", "(default: 0)"): one
// line per flag, and only what a reader needs.
func quietDefaults(f cli.Flag) string {
	s := stringifyFlag(f)
	for _, noise := range []string{" (default: false)", " (default: 0)"} {
		s = strings.TrimSuffix(s, noise)
	}
	return s
}

var stringifyFlag = cli.FlagStringer

func init() { cli.FlagStringer = quietDefaults }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	code := exitOK
	app := &cli.App{
		Name:                   "mdclean",
		HelpName:               "mdclean", // not os.Args[0]: messages and help name the command as documented
		Usage:                  "turn scraped blog posts into clean Markdown",
		UsageText:              "mdclean [flags] [FILE|DIR|- ...]\nmdclean [flags] explain|rules [...]",
		Version:                buildVersion(),
		Description:            description,
		UseShortOptionHandling: true,
		Reader:                 stdin,
		Writer:                 stdout,
		ErrWriter:              stderr,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "write", Aliases: []string{"w"}, Usage: "rewrite changed files in place (atomically)"},
			&cli.BoolFlag{Name: "list", Aliases: []string{"l"}, Usage: "print the files whose cleaning would change them"},
			&cli.BoolFlag{Name: "diff", Aliases: []string{"d"}, Usage: "print a unified diff of each change"},
			&cli.BoolFlag{Name: "check", Usage: "report files that would change and exit 1; change nothing"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write cleaned copies into the mirror tree `DIR`", TakesFile: true},
			&cli.StringSliceFlag{Name: "ext", Usage: "file `ENDING`s a directory walk takes (default .md, .markdown)"},
			&cli.BoolFlag{Name: "no-ignore-vcs", Usage: "walk what .gitignore files ignore too (by default a walk skips it, as Git does)"},
			&cli.BoolFlag{Name: "force-exclude", Usage: "skip files named as arguments that the config or ignore files exclude (for pre-commit, which names every staged file)"},
			&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "clean with `N` workers (default: one per CPU)"},
			stdinNameFlag(),
			rulesFlag(),
			noDefaultRulesFlag(),
			configFlag(),
			fromFlag(),
			&cli.BoolFlag{Name: "stats", Usage: "print per-rule hit counts, bytes before/after and posts with template syntax on stderr"},
			&cli.BoolFlag{Name: "escape-templates", Usage: "write {{, {%, {# and #} outside code, which Hexo would run, as Nunjucks expressions that print them"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar and no summary line"},
			formatFlag(),
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour diffs: `WHEN` is auto (on a terminal, unless NO_COLOR is set), always or never"},
		},
		Action: func(c *cli.Context) error {
			code = cleanCommand(c, stdin, stdout, stderr)
			return nil
		},
		Commands:       toolCommands(&code, stdin, stdout, stderr),
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   usageError,
	}
	if err := app.Run(args); err != nil {
		fmt.Fprintln(stderr, "mdclean:", err)
		return exitError
	}
	return code
}

func usageError(c *cli.Context, err error, _ bool) error {
	if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: "); ok && cli.SuggestFlag != nil {
		flags := c.App.Flags
		if c.Command != nil && len(c.Command.Flags) > 0 {
			flags = c.Command.Flags
		}
		name = strings.TrimLeft(name, "-")
		// Only a near miss: the library suggests the closest flag however far.
		if s := cli.SuggestFlag(flags, name, false); s != "" && editDistance(name, strings.TrimLeft(s, "-")) <= max(1, len(name)/3) {
			return fmt.Errorf("%w; did you mean %s? (see %s --help)", err, s, c.Command.HelpName)
		}
	}
	return fmt.Errorf("%w (see %s --help)", err, c.Command.HelpName)
}

// The flags that choose rules and read posts are the app's and also each
// command's, so that both `mdclean --rules x.yaml rules` and
// `mdclean rules --rules x.yaml` work. Each call makes a new flag: urfave/cli
// keeps state in them.

func stdinNameFlag() cli.Flag {
	return &cli.StringFlag{Name: "stdin-filename", Usage: "name standard input `PATH` in messages and path conditions"}
}

func rulesFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: "rules", Usage: "add the rules of `FILE`, before the tidying defaults (repeatable)", TakesFile: true}
}

func noDefaultRulesFlag() cli.Flag {
	return &cli.BoolFlag{Name: "no-default-rules", Usage: "do not apply the embedded default rules"}
}

func configFlag() cli.Flag {
	return &cli.StringFlag{Name: "config", Usage: "read the project config from `FILE` instead of the nearest .mdclean.yaml", TakesFile: true}
}

func formatFlag() cli.Flag {
	return &cli.StringFlag{Name: "format", Value: "text", Usage: "report as `FORMAT`: text, json (JSON lines: per post for -l and --check, per rule for --stats, rules and explain) or github (GitHub Actions annotations, for -l and --check)"}
}

// outputFormat reads --format from any level and checks it.
func outputFormat(c *cli.Context) (string, error) {
	switch f := innerString(c, "format"); f {
	case "text", "json", "github":
		return f, nil
	default:
		return "", fmt.Errorf("mdclean: --format: want text, json or github, got %q", f)
	}
}

func fromFlag() cli.Flag {
	return &cli.StringFlag{Name: "from", Value: "auto", Usage: "read bodies as `html`, markdown, or auto (HTML when the body starts with a tag)"}
}

// urfave/cli reads a flag from the innermost command that defines it,
// whether set there or not, which would lose a flag given before the
// command name; these look at every level, the app's first.

// setAt reports whether the flag name was given at the level of ctx.
func setAt(ctx *cli.Context, name string) bool {
	return ctx.Command != nil && slices.Contains(ctx.LocalFlagNames(), name)
}

// allStrings gathers a repeatable flag from every level, outermost first.
func allStrings(c *cli.Context, name string) []string {
	var out []string
	lineage := c.Lineage()
	for i := len(lineage) - 1; i >= 0; i-- {
		if setAt(lineage[i], name) {
			out = append(out, lineage[i].StringSlice(name)...)
		}
	}
	return out
}

// anyBool reports whether a boolean flag was set true at any level.
func anyBool(c *cli.Context, name string) bool {
	for _, ctx := range c.Lineage() {
		if setAt(ctx, name) && ctx.Bool(name) {
			return true
		}
	}
	return false
}

// innerString is the value of a flag at the innermost level that set it,
// or its default.
func innerString(c *cli.Context, name string) string {
	for _, ctx := range c.Lineage() {
		if setAt(ctx, name) {
			return ctx.String(name)
		}
	}
	return c.String(name)
}

func cleanCommand(c *cli.Context, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, err := runOptions(c, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	ctx, interrupted := onInterrupt()
	stats, err := batch.Run(ctx, opts, paths(c), batch.IO{Stdin: stdin, Stdout: stdout, Stderr: stderr})
	if sig := interrupted(); sig != 0 {
		fmt.Fprintf(stderr, "mdclean: interrupted (%v); posts not yet written are left as they were\n", sig)
		return exitSignal + int(sig)
	}
	if errors.Is(err, batch.ErrOutDirOverlaps) {
		fmt.Fprintln(stderr, "mdclean: -o", err)
		return exitError
	}
	if err != nil {
		fmt.Fprintln(stderr, "mdclean:", err)
		return exitError
	}
	if c.Bool("stats") {
		if opts.Format == "json" {
			stats.WriteStatsJSON(stderr)
		} else {
			stats.WriteRuleHits(stderr)
		}
	}
	empty := stats.Empty(paths(c))
	for _, d := range empty {
		switch {
		case opts.Structured() && opts.Format == "json":
			fmt.Fprintf(stdout, "{\"path\":%q,\"changed\":false,\"error\":\"no posts found\"}\n", d)
		case opts.Structured() && opts.Format == "github":
			fmt.Fprintf(stdout, "::error file=%s::no posts found\n", batch.GitHubProperty(d))
		default:
			fmt.Fprintf(stderr, "%s: no posts found\n", d)
		}
	}
	if !opts.Printing() && !c.Bool("quiet") {
		verb := "would change"
		if opts.Write || opts.OutDir != "" {
			verb = "changed"
		}
		fmt.Fprintln(stderr, "mdclean:", stats.Summary(verb))
	}
	switch {
	case stats.Failed > 0 || len(empty) > 0:
		return exitError
	case opts.ReportsChanges() && stats.Changed > 0:
		return exitChanged
	}
	return exitOK
}

// onInterrupt returns a context cancelled by the first SIGINT or SIGTERM,
// so that a run finishes the posts it is writing and removes its temp
// files, and a function that stops listening and says which signal came
// (0 for none). A second signal kills at once, as usual: killed at any
// moment, no post is torn (see README), and the next run tidies up.
func onInterrupt() (context.Context, func() syscall.Signal) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan syscall.Signal, 1)
	go func() {
		if s, ok := <-sigs; ok {
			signal.Reset(os.Interrupt, syscall.SIGTERM)
			got <- s.(syscall.Signal)
			cancel()
		}
	}()
	return ctx, func() syscall.Signal {
		signal.Stop(sigs)
		close(sigs)
		cancel()
		select {
		case s := <-got:
			return s
		default:
			return 0
		}
	}
}

func paths(c *cli.Context) []string {
	if c.NArg() == 0 {
		return []string{"-"}
	}
	return c.Args().Slice()
}

// runOptions turns flags into the pipeline's plain options.
func runOptions(c *cli.Context, stdout, stderr io.Writer) (batch.Options, error) {
	var o batch.Options
	opts, cfg, err := cleanOptions(c)
	if err != nil {
		return o, err
	}
	o.Options = opts
	o.EscapeTemplates = c.Bool("escape-templates")
	o.Walk.Keep = cfg.WalkFilter()
	o.Walk.ForceExclude = c.Bool("force-exclude")
	o.Walk.NoIgnoreVCS = c.Bool("no-ignore-vcs")
	o.Mode = batch.Mode{List: c.Bool("list"), Write: c.Bool("write"), Diff: c.Bool("diff"),
		Check: c.Bool("check"), OutDir: c.String("out")}
	usesStdin := false
	for _, p := range paths(c) {
		usesStdin = usesStdin || p == "-"
	}
	switch {
	case o.Check && (o.Write || o.OutDir != ""):
		return o, errors.New("mdclean: --check changes nothing; it does not go with -w or -o")
	case o.Write && o.OutDir != "":
		return o, errors.New("mdclean: -w and -o do not go together: rewrite the posts, or write cleaned copies")
	case o.Write && usesStdin:
		return o, errors.New("mdclean: -w needs files or directories (standard input is cleaned to standard output)")
	case o.OutDir != "" && usesStdin:
		return o, errors.New("mdclean: -o needs files or directories (standard input is cleaned to standard output)")
	case c.Int("jobs") < 0:
		return o, errors.New("mdclean: -j: want a positive number of workers")
	}
	for _, e := range c.StringSlice("ext") {
		for _, e := range strings.Split(e, ",") {
			if e = strings.TrimSpace(e); e != "" {
				o.Walk.Exts = append(o.Walk.Exts, "."+strings.TrimPrefix(e, "."))
			}
		}
	}
	o.Jobs = c.Int("jobs")
	o.StdinName = c.String("stdin-filename")
	if o.Format, err = outputFormat(c); err != nil {
		return o, err
	}
	switch c.String("color") {
	case "always":
		o.Color = true
	case "never":
		o.Color = false
	case "auto":
		// no-color.org: NO_COLOR turns colour off when set and not empty.
		o.Color = isTerminal(stdout) && os.Getenv("NO_COLOR") == ""
	default:
		return o, fmt.Errorf("mdclean: --color: want auto, always or never, got %q", c.String("color"))
	}
	if isTerminal(stderr) && !c.Bool("quiet") {
		o.Progress = progress.New(stderr)
	}
	return o, nil
}

// cleanOptions reads the flags and the config file every command that
// cleans shares: how to read bodies, and the rules.
func cleanOptions(c *cli.Context) (clean.Options, *config.Config, error) {
	from, ok := clean.ParseFormat(innerString(c, "from"))
	if !ok {
		return clean.Options{}, nil, fmt.Errorf("mdclean: --from: want html, markdown or auto, got %q", innerString(c, "from"))
	}
	cfg, err := loadConfig(innerString(c, "config"))
	if err != nil {
		return clean.Options{}, nil, err
	}
	set, err := loadRules(anyBool(c, "no-default-rules"), cfg, allStrings(c, "rules"))
	if err != nil {
		return clean.Options{}, nil, err
	}
	return clean.Options{Rules: set, From: from}, cfg, nil
}

// loadConfig reads the config file given with --config, or else the
// nearest .mdclean.yaml from the working directory up; nil for none.
func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		found, err := config.Find(".")
		if err != nil {
			return nil, fmt.Errorf("mdclean: looking for %s: %w", config.FileName, err)
		}
		if found == "" {
			return nil, nil
		}
		path = found
	}
	return config.Load(path)
}

// loadRules builds the rule set: the config file's rule files, then each
// --rules file, in order, inside the embedded defaults unless told not to
// (after the core rules and source packs, before the tidying rules, so that
// what user rules remove is tidied up too); less the rules the config
// disables.
func loadRules(noDefaults bool, cfg *config.Config, files []string) (*rules.Set, error) {
	var cfgFiles []string
	if cfg != nil {
		cfgFiles = cfg.Rules
	}
	var user []*rules.Set
	for i, f := range slices.Concat(cfgFiles, files) {
		var s *rules.Set
		var err error
		if i < len(cfgFiles) {
			// The config names the file: errors point at its line, and the
			// file must stay inside the config's directory tree.
			var data []byte
			if data, err = cfg.ReadRules(i); err == nil {
				s, err = rules.Parse(f, data)
			}
		} else {
			s, err = readRules(f)
		}
		if err != nil {
			return nil, err
		}
		user = append(user, s)
	}
	var set *rules.Set
	var err error
	if noDefaults {
		set, err = rules.Merge(user...)
	} else {
		set, err = rules.DefaultAround(user...)
	}
	if err != nil || cfg == nil || len(cfg.Disable) == 0 {
		return set, err
	}
	set, unknown := set.Without(cfg.Disable)
	var errs []error
	for _, name := range unknown {
		// With --no-default-rules, disabling a default rule is moot, not a
		// mistake: one config serves runs with and without the defaults.
		if noDefaults && isDefaultRule(name) {
			continue
		}
		errs = append(errs, cfg.Errorf("disable", slices.Index(cfg.Disable, name), "disable: no rule is named %q", name))
	}
	return set, errors.Join(errs...)
}

func isDefaultRule(name string) bool {
	d, err := rules.Default()
	return err == nil && slices.ContainsFunc(d.Rules(), func(r *rules.Rule) bool { return r.Name == name })
}

// readRules reads and parses one rule file named on the command line. A
// file that cannot be read is reported as "PATH: reason".
func readRules(f string) (*rules.Set, error) {
	data, err := config.ReadRuleFile(f)
	if err != nil {
		return nil, err
	}
	return rules.Parse(f, data)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// editDistance is the edit distance between a and b, in bytes (flag names
// are ASCII), with a swap of two neighbours as one edit.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	prev2 := prev
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1) // two letters swapped
			}
		}
		prev2, prev = prev, cur
	}
	return prev[len(b)]
}
