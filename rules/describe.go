package rules

import (
	"encoding/json"
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

// WriteJSON writes the rules as WriteTable does, one JSON object a line:
// name, origin (FILE:LINE), action and description.
func (s *Set) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range s.Rules() {
		if err := enc.Encode(struct {
			Name        string `json:"name"`
			Origin      string `json:"origin"`
			Action      string `json:"action"`
			Description string `json:"description"`
		}{r.Name, fmt.Sprintf("%s:%d", r.Origin, r.Line), r.ActionName(), r.Description}); err != nil {
			return err
		}
	}
	return nil
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
