package model

import (
	"fmt"
	"strings"
)

// Severity ranks a diagnostic. The zero value is invalid.
type Severity uint8

// Severities.
const (
	SeverityError Severity = iota + 1
	SeverityWarning
	SeverityNote
)

func (s Severity) String() string {
	return enumName([]string{"invalid", "error", "warning", "note"}, int(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Diagnostic is one problem or remark about a network or its input.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	// Pos is where the problem is; zero when it has no source position.
	Pos Pos `json:"pos,omitzero"`
	// Element is the label of the element concerned (see Meta.Label);
	// empty when the problem concerns the input as a whole.
	Element string `json:"element,omitempty"`
	// Message says what is wrong, in lower case without a final period.
	Message string `json:"message"`
	// About is the ID of the element outside the input the diagnostic is
	// about ("transit gateway tgw-0abc is not in the input"), so that when
	// several inputs are merged and another holds the element, the
	// diagnostic can be dropped; empty otherwise.
	About string `json:"about,omitempty"`
}

// String formats the diagnostic like a compiler message:
// "main.tf:12:3: error: aws_subnet.a: cidr 10.1.0.0/24 is outside …".
func (d Diagnostic) String() string {
	var b strings.Builder
	if !d.Pos.IsZero() {
		b.WriteString(d.Pos.String())
		b.WriteString(": ")
	}
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	if d.Element != "" {
		b.WriteString(d.Element)
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// Diagnostics is a list of diagnostics.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (ds Diagnostics) Errors() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == SeverityError {
			out = append(out, d)
		}
	}
	return out
}

// Error implements error by joining the error diagnostics, one a line.
func (ds Diagnostics) Error() string {
	var lines []string
	for _, d := range ds.Errors() {
		lines = append(lines, d.String())
	}
	return strings.Join(lines, "\n")
}

func diagf(sev Severity, m *Meta, format string, args ...any) Diagnostic {
	return Diagnostic{Severity: sev, Pos: m.Pos, Element: m.Label(), Message: fmt.Sprintf(format, args...)}
}
