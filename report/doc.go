// Package report renders vpcsim's answers — traces, exposure findings,
// segmentation matrices, the topology — as text for people and as stable
// JSON (and, for findings, Markdown, HTML and SARIF) for tools. It decides
// nothing about reachability: every verdict and every rule it prints comes
// from package reach. What it adds is a severity for each finding (Rate, a
// documented policy), a stable order, and the formats:
//
//   - NewReport and WriteReport: the exposure report, as text, json,
//     markdown, html (one self-contained page with a diagram of the estate)
//     or sarif (SARIF 2.1.0, locations at the .tf line of the opening rule);
//   - WriteMatrix: the segmentation matrix, as text, json or csv;
//   - WriteGraph: the topology, as dot or mermaid;
//   - WriteTraceText and WriteTraceJSON: one traced flow.
//
// docs/report.md is the contract for the formats.
package report
