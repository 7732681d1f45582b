package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/mdclean/mdclean/batch"
	"github.com/mdclean/mdclean/clean"
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
			Flags: []cli.Flag{rulesFlag(), noDefaultRulesFlag(), configFlag(), fromFlag(), stdinNameFlag()},
			Action: func(c *cli.Context) error {
				*code = explainCommand(c, stdin, stdout, stderr)
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
			Flags: []cli.Flag{rulesFlag(), noDefaultRulesFlag(), configFlag()},
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
	res, err := clean.New(opts).Explain(stdout, name, src)
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
	if err := opts.Rules.WriteTable(stdout); err != nil {
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
