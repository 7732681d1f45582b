package rules

import (
	_ "embed"
	"sync"
)

// DefaultFile is the name the embedded default rules report as their origin.
const DefaultFile = "<default rules>"

//go:embed default.yaml
var defaultYAML []byte

// DefaultSource returns the YAML text of the embedded default rules.
func DefaultSource() []byte { return append([]byte(nil), defaultYAML...) }

var defaults = sync.OnceValues(func() (*Set, error) { return Parse(DefaultFile, defaultYAML) })

// Default returns the embedded default rules. They go through Parse like any
// rule file; a test proves they compile, so the error is for completeness.
func Default() (*Set, error) { return defaults() }
