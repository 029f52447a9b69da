package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/vpcsim/vpcsim/internal/atomicfile"
)

// exitOnInterrupt makes SIGINT and SIGTERM end the process the way a shell
// expects (exit status 128 + the signal's number) after removing the
// temporary files of outputs not yet complete: an interrupted command
// leaves every output file as it was before it started.
func exitOnInterrupt() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-c
		atomicfile.RemovePending()
		fmt.Fprintf(os.Stderr, "vpcsim: %v: stopped; no output file was written\n", sig)
		code := 130
		if sig == syscall.SIGTERM {
			code = 143
		}
		os.Exit(code)
	}()
}
