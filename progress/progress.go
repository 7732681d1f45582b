// Package progress shows a batch run's progress on a terminal: a bar with
// files/s and the time left, only for runs large enough to need one.
package progress

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// MinFiles is the smallest run that gets a bar; smaller runs end before a
// bar would tell anything.
const MinFiles = 300

// Bar draws on w. It implements batch.Progress.
type Bar struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

// New returns a bar that draws on w, a terminal.
func New(w io.Writer) *Bar { return &Bar{w: w} }

// Start shows the bar when the run has more than MinFiles posts.
func (b *Bar) Start(total int) {
	if total <= MinFiles {
		return
	}
	b.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(b.w),
		progressbar.OptionSetDescription("cleaning"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("files"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetRenderBlankState(true),
	)
}

// Done counts n more posts.
func (b *Bar) Done(n int) {
	if b.bar != nil {
		_ = b.bar.Add(n)
	}
}

// Finish clears the bar.
// Clear takes the bar off the terminal for a line to be written; the next
// Done draws it again.
func (b *Bar) Clear() {
	if b.bar != nil {
		_ = b.bar.Clear()
	}
}

func (b *Bar) Finish() {
	if b.bar != nil {
		_ = b.bar.Finish()
	}
}
