package rules

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable writes one line per rule, in the order the rules apply: name,
// origin (FILE:LINE), action and description, in aligned columns. It is what
// `mdclean rules` prints, so that a rule author sees which file each rule
// comes from and where it runs relative to the others.
func (s *Set) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, r := range s.Rules() {
		fmt.Fprintf(tw, "%s\t%s:%d\t%s\t%s\n", r.Name, r.Origin, r.Line, r.ActionName(), r.Description)
	}
	return tw.Flush()
}

// WriteChecked writes the line `mdclean rules check` prints for a rule file
// that parsed: "FILE: N rules ok".
func (s *Set) WriteChecked(w io.Writer, file string) error {
	unit := "rules"
	if s.Len() == 1 {
		unit = "rule"
	}
	_, err := fmt.Fprintf(w, "%s: %d %s ok\n", file, s.Len(), unit)
	return err
}
