package batch

import (
	"runtime"
	"sync"
)

// Each reads every post Walk finds under args, with jobs readers (0: one
// per CPU), and calls fn with each, from several goroutines at once: for
// tools that study posts and write none. A post that cannot be read is
// passed with its error.
func Each(args []string, opts WalkOptions, jobs int, fn func(in Input, src []byte, err error)) {
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	inputs := make(chan Input, jobs)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for in := range inputs {
				if in.Err != nil {
					fn(in, nil, in.Err)
					in.Close()
					continue
				}
				s, err := readSource(in.dir, in.name, false)
				in.Close()
				if err != nil {
					err = &PathError{Path: in.Path, Err: err}
				}
				fn(in, s.data, err)
			}
		})
	}
	Walk(args, opts, func(in Input) bool {
		inputs <- in
		return true
	})
	close(inputs)
	wg.Wait()
}
