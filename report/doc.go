// Package report renders vpcsim's answers — traces, exposure findings,
// segmentation matrices — as text for people and as stable JSON (and, for
// findings, Markdown, HTML and SARIF) for tools. It decides nothing: every
// verdict and every rule it prints comes from package reach.
package report
