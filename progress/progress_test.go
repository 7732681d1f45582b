package progress

import (
	"bytes"
	"strings"
	"testing"
)

func TestBarOnlyForLargeRuns(t *testing.T) {
	var small bytes.Buffer
	b := New(&small)
	b.Start(MinFiles)
	b.Done(MinFiles)
	b.Finish()
	if small.Len() != 0 {
		t.Errorf("a run of %d files drew a bar: %q", MinFiles, small.String())
	}

	var large bytes.Buffer
	b = New(&large)
	b.Start(MinFiles + 1)
	b.Done(MinFiles + 1)
	b.Finish()
	if !strings.Contains(large.String(), "cleaning") {
		t.Errorf("a run of %d files drew no bar: %q", MinFiles+1, large.String())
	}
}
