package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/mdclean/mdclean/batch"
	"github.com/mdclean/mdclean/clean"
	"github.com/mdclean/mdclean/config"
	"github.com/mdclean/mdclean/learn"
	"github.com/mdclean/mdclean/rules"
)

// toolCommands are the commands for rule authors. Each sets *code, as the
// app's own action does.
func toolCommands(code *int, stdin io.Reader, stdout, stderr io.Writer) []*cli.Command {
	return []*cli.Command{
		{
			Name:      "explain",
			Usage:     "clean one post and show which rule changed which node",
			UsageText: "mdclean explain [flags] FILE|-",
			Description: "Prints one line per rule action that changed the post, in the order they ran:\n" +
				"the rule, the node's path (body > div > p:nth-of-type(3) > font) and the start\n" +
				"of its HTML before the action; then how many actions and rules there were.",
			Flags: []cli.Flag{rulesFlag(), noDefaultRulesFlag(), configFlag(), fromFlag(), stdinNameFlag(), formatFlag()},
			Action: func(c *cli.Context) error {
				*code = explainCommand(c, stdin, stdout, stderr)
				return nil
			},
			OnUsageError:    usageError,
			HideHelpCommand: true,
		},
		{
			Name:      "suggest",
			Usage:     "learn the blocks a source repeats in its posts and print rules that remove them",
			UsageText: "mdclean suggest [flags] PATH...",
			Description: "Reads the posts under each PATH (as a directory walk does), groups them by\n" +
				"source (--by a front matter field, else by directory), cleans each with the\n" +
				"rules in effect, and prints a rule file that removes the blocks (paragraphs,\n" +
				"lines, images) recurring in a group's posts, each rule scoped to its group.\n" +
				"Every rule is checked on the group's posts first; a per-group summary goes to\n" +
				"stderr. Review the file, delete what is not junk, then add it to .mdclean.yaml.",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "by", Usage: "group posts by the front matter `FIELD` (a list field: by each value); default: by directory"},
				&cli.Float64Flag{Name: "min-share", Value: learn.DefaultMinShare, Usage: "a block must recur in this `SHARE` of a group's posts"},
				&cli.IntFlag{Name: "min-posts", Value: learn.DefaultMinPosts, Usage: "and in at least `N` posts"},
				&cli.Float64Flag{Name: "max-remove", Value: learn.DefaultMaxRemove, Usage: "drop a rule that takes more than this `SHARE` of any post's text"},
				&cli.StringSliceFlag{Name: "ext", Usage: "file `ENDING`s a directory walk takes (default .md, .markdown)"},
				&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "read with `N` workers (default: one per CPU)"},
				rulesFlag(), noDefaultRulesFlag(), configFlag(), fromFlag(),
			},
			Action: func(c *cli.Context) error {
				*code = suggestCommand(c, stdout, stderr)
				return nil
			},
			OnUsageError:    usageError,
			HideHelpCommand: true,
		},
		{
			Name:      "completion",
			Usage:     "print a shell completion script for bash, zsh or fish",
			UsageText: "mdclean completion bash|zsh|fish",
			Description: "bash: source <(mdclean completion bash), or save it as\n" +
				"~/.local/share/bash-completion/completions/mdclean. zsh: save it as _mdclean in\n" +
				"a directory of $fpath. fish: save it as ~/.config/fish/completions/mdclean.fish.",
			Action: func(c *cli.Context) error {
				*code = completionCommand(c, stdout, stderr)
				return nil
			},
			OnUsageError:    usageError,
			HideHelpCommand: true,
		},
		{
			Name:      "rules",
			Usage:     "list the rules in effect, in the order they apply; or check rule files",
			UsageText: "mdclean rules [flags]\nmdclean rules check FILE...",
			Description: "Prints one line per rule: name, origin (FILE:LINE), action, description.\n" +
				"The rules are the defaults (unless --no-default-rules), the config file's rule\n" +
				"files, then each --rules file, less the rules the config disables.",
			Flags: []cli.Flag{rulesFlag(), noDefaultRulesFlag(), configFlag(), formatFlag()},
			Action: func(c *cli.Context) error {
				*code = rulesCommand(c, stdout, stderr)
				return nil
			},
			Subcommands: []*cli.Command{{
				Name:      "check",
				Usage:     "check rule files completely, without cleaning anything",
				UsageText: "mdclean rules check FILE...",
				Description: "Prints FILE: N rules ok for a good file, and every problem in a bad one as\n" +
					"FILE:LINE:COL: lines on stderr. Exit status 2 if any file has a problem.",
				Action: func(c *cli.Context) error {
					*code = checkCommand(c, stdout, stderr)
					return nil
				},
				OnUsageError: usageError,
			}},
			OnUsageError:    usageError,
			HideHelpCommand: true,
		},
	}
}

func explainCommand(c *cli.Context, stdin io.Reader, stdout, stderr io.Writer) int {
	if c.NArg() > 1 {
		fmt.Fprintln(stderr, "mdclean: explain takes one FILE (or - for standard input)")
		return exitError
	}
	opts, _, err := cleanOptions(c)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	name, src, err := batch.ReadSource(c.Args().First(), stdin, innerString(c, "stdin-filename"))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	format, err := outputFormat(c)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	res, err := clean.New(opts).Explain(stdout, name, src, format == "json")
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return exitError
	}
	if res.Warning != nil {
		fmt.Fprintf(stderr, "warning: %s: %v\n", name, res.Warning)
	}
	return exitOK
}

func rulesCommand(c *cli.Context, stdout, stderr io.Writer) int {
	if c.NArg() > 0 {
		fmt.Fprintf(stderr, "mdclean: rules: unexpected argument %q (to check rule files: mdclean rules check FILE...)\n", c.Args().First())
		return exitError
	}
	opts, _, err := cleanOptions(c)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	format, err := outputFormat(c)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	write := opts.Rules.WriteTable
	if format == "json" {
		write = opts.Rules.WriteJSON
	}
	if err := write(stdout); err != nil {
		fmt.Fprintln(stderr, "mdclean:", err)
		return exitError
	}
	return exitOK
}

// checkCommand parses each rule file on its own, as --rules would, and
// reports every problem in it; a good file gets a line that says so.
func checkCommand(c *cli.Context, stdout, stderr io.Writer) int {
	if c.NArg() == 0 {
		fmt.Fprintln(stderr, "mdclean: rules check: want one or more rule FILEs")
		return exitError
	}
	code := exitOK
	for _, f := range c.Args().Slice() {
		set, err := readRules(f)
		if err != nil {
			fmt.Fprintln(stderr, err)
			code = exitError
			continue
		}
		set.WriteChecked(stdout, f)
	}
	return code
}

// suggestCommand learns from the posts under the arguments in two passes,
// one to gather blocks and one to check the rules proposed, and prints the
// rules that pass.
func suggestCommand(c *cli.Context, stdout, stderr io.Writer) int {
	if c.NArg() == 0 {
		fmt.Fprintln(stderr, "mdclean: suggest: want one or more PATHs of posts to learn from")
		return exitError
	}
	for _, a := range c.Args().Slice() {
		if a == "-" {
			fmt.Fprintln(stderr, "mdclean: suggest: learns from files and directories, not standard input")
			return exitError
		}
	}
	// What suggest learns stays live for the whole run, unlike cleaning's
	// garbage: the heap goal main sets for cleaning would multiply it.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(100))
	}
	share, maxRemove := c.Float64("min-share"), c.Float64("max-remove")
	if !(share > 0 && share <= 1) || !(maxRemove > 0 && maxRemove <= 1) || c.Int("min-posts") < 1 { // NaN fails too
		fmt.Fprintln(stderr, "mdclean: suggest: --min-share and --max-remove want a share in (0, 1], --min-posts a positive number")
		return exitError
	}
	opts, cfg, err := cleanOptions(c)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	// Learned rules run where user rules do: before the tidying rules. The
	// learner sees posts as they are at that point.
	opts.Rules, _ = opts.Rules.Without(rules.Tidying())
	cleaner := clean.New(opts)
	by := c.String("by")
	learner := learn.New(learn.Options{By: by, MinShare: share, MinPosts: c.Int("min-posts"), MaxRemove: maxRemove})
	walk := batch.WalkOptions{Keep: cfg.WalkFilter()}
	for _, e := range c.StringSlice("ext") {
		for _, e := range strings.Split(e, ",") {
			if e = strings.TrimSpace(e); e != "" {
				walk.Exts = append(walk.Exts, "."+strings.TrimPrefix(e, "."))
			}
		}
	}
	var mu sync.Mutex
	code, posts, grouped := exitOK, 0, 0
	pass := func(first bool, use func(learn.Post)) {
		batch.Each(c.Args().Slice(), walk, c.Int("jobs"), func(in batch.Input, src []byte, err error) {
			var p learn.Post
			if err == nil {
				p, err = learnPost(cleaner, by, in, src)
			}
			mu.Lock()
			if err != nil && first { // the second pass meets the same files
				fmt.Fprintf(stderr, "%s: %v\n", in.Path, err)
				code = exitError
			}
			if first && err == nil {
				posts++
				if len(p.Groups) > 0 && p.Body != nil {
					grouped++
				}
			}
			mu.Unlock()
			if err == nil {
				use(p)
			}
		})
	}
	pass(true, learner.Add)
	if posts > grouped {
		why := "Markdown bodies, kept as written, which rules do not touch"
		if by != "" {
			why = fmt.Sprintf("Markdown bodies, or no %s field that parses", by)
		}
		fmt.Fprintf(stderr, "mdclean: suggest: %d of %d posts in no group (%s)\n", posts-grouped, posts, why)
	}
	if err := learner.Propose(); err != nil {
		fmt.Fprintln(stderr, "mdclean:", err)
		return exitError
	}
	// Checking again until no rule that ran is dropped (a few passes at
	// most); past that, the last decisions stand.
	again := true
	for i := 0; again && i < 5; i++ {
		pass(false, learner.Check)
		if again, err = learner.Settle(); err != nil {
			fmt.Fprintln(stderr, "mdclean:", err)
			return exitError
		}
	}
	if again {
		pass(false, learner.Check)
	}
	var out bytes.Buffer
	if err := learner.Write(&out); err != nil {
		fmt.Fprintln(stderr, "mdclean:", err)
		return exitError
	}
	// A file --rules would refuse is no use to anyone.
	if out.Len() > config.MaxRuleFileSize {
		fmt.Fprintf(stderr, "mdclean: suggest: the rules learned take %d bytes, more than a rule file may (%d); learn from fewer groups at a time (PATH, --by)\n",
			out.Len(), config.MaxRuleFileSize)
		return exitError
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintln(stderr, "mdclean:", err)
		return exitError
	}
	learner.Summary(stderr)
	return code
}

// learnPost cleans one post with the rules in effect and places it in its
// groups: the values of the --by field, or its directory.
func learnPost(cleaner *clean.Cleaner, by string, in batch.Input, src []byte) (learn.Post, error) {
	body, post, err := cleaner.Tree(in.Path, src)
	if err != nil {
		return learn.Post{}, err
	}
	p := learn.Post{Name: in.Path, Body: body}
	fields, fieldsErr := post.Fields()
	p.Env = rules.Env{FrontMatter: post.Matter, Fields: func() map[string]any { return fields },
		Body: post.Body, Path: clean.ConditionPath(in.Path)}
	if by == "" {
		// The directory as the path names it: two sources with a "news"
		// folder each stay apart, and the rule's condition can name it.
		p.Groups = []string{filepath.ToSlash(filepath.Dir(filepath.Clean(in.Path)))}
		return p, nil
	}
	if fieldsErr != nil {
		return p, nil // in no group: its rules could not be scoped to it
	}
	switch v := fields[by].(type) {
	case nil:
	case []any:
		for _, e := range v {
			switch e.(type) {
			case nil, []any, map[string]any: // a has: condition matches no such value
			default:
				p.Groups = append(p.Groups, fmt.Sprint(e))
			}
		}
	case map[string]any:
	default:
		p.Groups = []string{fmt.Sprint(v)}
	}
	return p, nil
}

// completionCommand prints a completion script for a shell, with the
// flags and commands of this build written into it: the shell asks
// mdclean nothing while completing.
func completionCommand(c *cli.Context, stdout, stderr io.Writer) int {
	var flags []string
	type flagDoc struct{ long, short, usage string }
	var docs []flagDoc
	for _, f := range c.App.Flags {
		var d flagDoc
		for _, n := range f.Names() {
			if len(n) == 1 {
				flags, d.short = append(flags, "-"+n), n
			} else {
				flags, d.long = append(flags, "--"+n), n
			}
		}
		if u, ok := f.(cli.DocGenerationFlag); ok {
			d.usage = u.GetUsage()
		}
		docs = append(docs, d)
	}
	var commands []string
	for _, cmd := range c.App.Commands {
		if !cmd.Hidden {
			commands = append(commands, cmd.Name)
		}
	}
	words := func(ws []string) string { return strings.Join(ws, " ") }
	switch shell := c.Args().First(); shell {
	case "bash":
		fmt.Fprintf(stdout, `# bash completion for mdclean (mdclean completion bash)
_mdclean() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '%s' -- "$cur"))
	elif [[ $COMP_CWORD == 1 ]]; then
		COMPREPLY=($(compgen -W '%s' -- "$cur") $(compgen -f -- "$cur"))
	fi
}
complete -o default -o bashdefault -F _mdclean mdclean
`, words(flags), words(commands))
	case "zsh":
		fmt.Fprintf(stdout, `#compdef mdclean
# zsh completion for mdclean (mdclean completion zsh)
_mdclean() {
	local -a flags commands
	flags=(%s)
	commands=(%s)
	if [[ $PREFIX == -* ]]; then
		compadd -- $flags
	else
		(( CURRENT == 2 )) && compadd -- $commands
		_files
	fi
}
# Autoloaded from $fpath, this file is the completion itself; sourced, it
# registers the function.
if [[ $funcstack[1] == _mdclean ]]; then
	_mdclean "$@"
else
	compdef _mdclean mdclean
fi
`, words(flags), words(commands))
	case "fish":
		fmt.Fprintln(stdout, "# fish completion for mdclean (mdclean completion fish)")
		fmt.Fprintf(stdout, "complete -c mdclean -n __fish_use_subcommand -a %s\n", fishQuote(words(commands)))
		for _, d := range docs {
			line := "complete -c mdclean"
			if d.long != "" {
				line += " -l " + d.long
			}
			if d.short != "" {
				line += " -s " + d.short
			}
			if d.usage != "" {
				line += " -d " + fishQuote(strings.ReplaceAll(d.usage, "`", "")) // backticks name the value in help
			}
			fmt.Fprintln(stdout, line)
		}
	default:
		fmt.Fprintf(stderr, "mdclean: completion: want bash, zsh or fish, got %q\n", shell)
		return exitError
	}
	return exitOK
}

// fishQuote quotes s for fish, in single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}
