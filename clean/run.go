package clean

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sync"
)

// Mode says what to do with each cleaned post. The zero Mode prints every
// cleaned post to standard output, like gofmt without flags.
type Mode struct {
	List   bool   // print the paths of posts that cleaning would change
	Write  bool   // rewrite changed posts in place
	Diff   bool   // print a unified diff of each change
	Check  bool   // report posts that would change, change nothing
	OutDir string // write every cleaned post into this mirror tree
}

// Printing reports whether cleaned posts go to standard output.
func (m Mode) Printing() bool {
	return !m.List && !m.Write && !m.Diff && !m.Check && m.OutDir == ""
}

// ReportsChanges reports whether a post that would change is a failure the
// exit status must show (--check, -l, -d; not with -w).
func (m Mode) ReportsChanges() bool { return (m.List || m.Diff || m.Check) && !m.Write }

// RunOptions configure a batch run.
type RunOptions struct {
	Options
	Mode
	Walk      WalkOptions
	Jobs      int    // workers; 0 means one per CPU
	StdinName string // what messages and path conditions call "-"; default StdinName
	Color     bool   // colour diffs
	Progress  Progress
}

// Progress hears how far a run is. Start is called with the number of
// posts before any is cleaned.
type Progress interface {
	Start(total int)
	Done(n int)
	Finish()
}

// IO are the streams a run reads and reports to.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// ErrOutDirInInput is returned by Run for an -o folder inside an input folder.
var ErrOutDirInInput = errors.New("output folder is, or is inside, an input folder")

// Run cleans every post named by args (files, directories, "-") with
// opts.Jobs workers, and reports in argument and walk order, whatever the
// scheduling. One bad post costs one "PATH: reason" line on stderr and does
// not stop the others. The error is for a run that cannot start.
func Run(opts RunOptions, args []string, streams IO) (*Stats, error) {
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.StdinName == "" {
		opts.StdinName = StdinName
	}
	if opts.OutDir != "" {
		for _, a := range args {
			if a != "-" && isDir(a) && isWithin(opts.OutDir, a) {
				return nil, fmt.Errorf("-o %s: %w %s", opts.OutDir, ErrOutDirInInput, a)
			}
		}
	}
	opts.Walk.RemoveStale = opts.Write
	if opts.Progress != nil {
		n := 0
		Walk(args, opts.Walk, func(Input) { n++ })
		opts.Progress.Start(n)
		defer opts.Progress.Finish()
	}

	stats := NewStats(opts.Rules)
	type job struct {
		seq int
		in  Input
	}
	jobs := make(chan job)
	results := make(chan *outcome)
	// Each result waits its turn to be reported; a slot is taken per job in
	// flight so that memory stays bounded by the workers, not the tree.
	slots := make(chan struct{}, 4*opts.Jobs)

	var wg sync.WaitGroup
	for range opts.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{opts: &opts, cleaner: New(opts.Options), stdin: streams.Stdin}
			for j := range jobs {
				o := w.do(j.in)
				o.seq = j.seq
				results <- o
			}
		}()
	}
	go func() {
		seq := 0
		Walk(args, opts.Walk, func(in Input) {
			slots <- struct{}{}
			jobs <- job{seq: seq, in: in}
			seq++
		})
		close(jobs)
		wg.Wait()
		close(results)
	}()

	r := reporter{opts: &opts, streams: streams, stats: stats}
	pending := map[int]*outcome{}
	next := 0
	for o := range results {
		pending[o.seq] = o
		for o := pending[next]; o != nil; o = pending[next] {
			delete(pending, next)
			r.report(o)
			<-slots
			next++
			if opts.Progress != nil {
				opts.Progress.Done(1)
			}
		}
	}
	return stats, nil
}

// outcome is what the worker did with one post.
type outcome struct {
	seq     int
	name    string // the path as reported
	src     []byte
	res     Result
	changed bool
	diff    []byte
	err     error
	// sizes, kept when src and output are dropped early
	sizeIn, sizeOut int
}

type worker struct {
	opts    *RunOptions
	cleaner *Cleaner
	stdin   io.Reader
}

// do is the per-file function: read, clean, compare, then write, list or
// diff as the mode says.
func (w *worker) do(in Input) *outcome {
	o := &outcome{name: in.Path}
	if in.Path == "-" {
		o.name = w.opts.StdinName
	}
	if in.Err != nil {
		o.err = &PathError{Path: o.name, Err: in.Err}
		return o
	}
	var err error
	if in.Path == "-" {
		o.src, err = io.ReadAll(w.stdin)
	} else {
		o.src, err = readRegular(in.Path)
	}
	if err == nil {
		o.res, err = w.cleaner.Clean(o.name, o.src)
	}
	if err != nil {
		o.err = &PathError{Path: o.name, Err: err}
		return o
	}
	if o.res.Warning != nil {
		o.res.Warning = &PathError{Path: o.name, Err: o.res.Warning}
	}
	o.changed = o.res.Changed(o.src)
	m := w.opts.Mode
	if m.Write && o.changed && in.Path != "-" {
		if err := WriteAtomic(in.Path, o.res.Output); err != nil {
			o.err = &PathError{Path: o.name, Err: err}
			return o
		}
	}
	if m.OutDir != "" {
		if err := WriteMirror(mirrorPath(m.OutDir, in), o.res.Output); err != nil {
			o.err = &PathError{Path: o.name, Err: err}
			return o
		}
	}
	if m.Diff && o.changed {
		o.diff = Diff(o.name, o.src, o.res.Output, w.opts.Color)
	}
	o.sizeIn, o.sizeOut = len(o.src), len(o.res.Output)
	if !m.Printing() {
		o.src, o.res.Output = nil, nil // the reporter needs only the sizes
	}
	return o
}

// mirrorPath places a post found under a directory argument at the same
// relative path under out, and a named file at its base name.
func mirrorPath(out string, in Input) string {
	if in.Root != "" {
		if rel, err := filepath.Rel(in.Root, in.Path); err == nil {
			return filepath.Join(out, rel)
		}
	}
	return filepath.Join(out, filepath.Base(in.Path))
}

type reporter struct {
	opts    *RunOptions
	streams IO
	stats   *Stats
}

func (r *reporter) report(o *outcome) {
	r.stats.add(o)
	if o.err != nil {
		fmt.Fprintln(r.streams.Stderr, o.err)
		return
	}
	if o.res.Warning != nil {
		fmt.Fprintln(r.streams.Stderr, "warning:", o.res.Warning)
	}
	m := r.opts.Mode
	switch {
	case m.Printing():
		r.streams.Stdout.Write(o.res.Output)
		return
	case !o.changed:
		return
	}
	if m.List {
		fmt.Fprintln(r.streams.Stdout, o.name)
	}
	if m.Check && !m.List {
		fmt.Fprintf(r.streams.Stderr, "%s: would change\n", o.name)
	}
	if o.diff != nil {
		r.streams.Stdout.Write(o.diff)
	}
}
