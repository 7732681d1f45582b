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
	// Cleaning is CPU work and takes opts.Jobs workers; writing waits on the
	// disk (fsync), so it has a stage of its own with more goroutines, and
	// the cleaners never sit idle behind a flush.
	writers := 0
	if opts.Write || opts.OutDir != "" {
		writers = 4 * opts.Jobs
	}
	// Each result waits its turn to be reported; a slot is taken per post in
	// flight so that memory stays bounded by the workers, not the tree.
	slots := make(chan struct{}, 2*(opts.Jobs+writers))

	writes := make(chan *outcome)
	var cleaners, writing sync.WaitGroup
	for range opts.Jobs {
		cleaners.Add(1)
		go func() {
			defer cleaners.Done()
			w := &worker{opts: &opts, cleaner: New(opts.Options), stdin: streams.Stdin}
			for j := range jobs {
				o := w.do(j.in)
				o.seq = j.seq
				if o.write != nil {
					writes <- o
				} else {
					results <- o
				}
			}
		}()
	}
	flush := newGroupFlush()
	for range writers {
		writing.Add(1)
		go func() {
			defer writing.Done()
			rep := replacer{flush: flush}
			defer rep.close()
			for o := range writes {
				o.store(&rep)
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
		cleaners.Wait()
		close(writes)
		writing.Wait()
		close(results)
	}()

	r := reporter{opts: &opts, streams: streams, stats: stats}
	pending := map[int]*outcome{}
	next := 0
	// Renames are made durable once per directory, at the end, rather than
	// once per file.
	dirs := map[string]bool{}
	for o := range results {
		pending[o.seq] = o
		for o := pending[next]; o != nil; o = pending[next] {
			delete(pending, next)
			r.report(o)
			if o.dir != "" {
				dirs[o.dir] = true
			}
			<-slots
			next++
			if opts.Progress != nil {
				opts.Progress.Done(1)
			}
		}
	}
	for d := range dirs {
		syncDir(d)
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
	dir             string // a directory whose entries were changed
	write           *pendingWrite
}

// pendingWrite is a cleaned post waiting for the write stage.
type pendingWrite struct {
	in      Input
	post    post // the source, still open in -w mode
	inPlace bool
	mirror  string // path in the -o tree, or ""
}

// store does the write stage's work for o: replace the post in place,
// write its mirror copy, or both.
func (o *outcome) store(rep *replacer) {
	wr := o.write
	o.write = nil
	defer wr.post.release()
	var err error
	if wr.inPlace {
		o.dir, err = rep.replace(wr.in.Path, wr.in.Root != "", o.res.Output, &wr.post)
	}
	if err == nil && wr.mirror != "" {
		var dir string
		if dir, err = rep.mirror(wr.mirror, o.res.Output); dir != "" {
			o.dir = dir
		}
	}
	if err != nil {
		o.err = &PathError{Path: o.name, Err: err}
	}
	o.res.Output = nil
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
	var p post
	if in.Path == "-" {
		p.data, err = io.ReadAll(w.stdin)
	} else {
		p, err = readPost(in.Path, w.opts.Write)
	}
	handedOver := false
	defer func() {
		if !handedOver {
			p.release()
		}
	}()
	o.src = p.data
	if err == nil {
		restore := shrinkHeapFor(len(o.src))
		o.res, err = w.cleaner.Clean(o.name, o.src)
		restore()
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
	if m.Diff && o.changed {
		o.diff = Diff(o.name, o.src, o.res.Output, w.opts.Color)
	}
	o.sizeIn, o.sizeOut = len(o.src), len(o.res.Output)
	inPlace := m.Write && o.changed && in.Path != "-"
	if inPlace || m.OutDir != "" {
		o.write = &pendingWrite{in: in, post: p, inPlace: inPlace}
		if m.OutDir != "" {
			o.write.mirror = mirrorPath(m.OutDir, in)
		}
		handedOver = true
		o.src = nil
		return o
	}
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
