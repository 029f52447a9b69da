package model

import "strconv"

func itoa(n int) string { return strconv.Itoa(n) }

// enumName returns names[i], or "invalid" when i is past the end: a value
// outside an enum's range must never print as the name of a real value.
func enumName(names []string, i int) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return "invalid"
}
