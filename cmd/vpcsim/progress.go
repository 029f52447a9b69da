package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress reports the stages of long work on stderr, and only when stderr
// is a terminal (in pipelines and CI logs it would be noise) or the
// environment variable VPCSIM_PROGRESS is 1.
type progress struct {
	w     io.Writer
	start time.Time
}

func newProgress(w io.Writer) *progress {
	if os.Getenv("VPCSIM_PROGRESS") == "1" {
		return &progress{w: w, start: time.Now()}
	}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return &progress{w: w, start: time.Now()}
		}
	}
	return &progress{}
}

func (p *progress) printf(format string, args ...any) {
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "vpcsim: [%5.1fs] %s\n", time.Since(p.start).Seconds(), fmt.Sprintf(format, args...))
}
