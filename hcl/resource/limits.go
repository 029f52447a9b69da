package resource

import (
	"strconv"
	"strings"
)

// Digits prints n with thousands separators (150,000,000): how the loaders
// print sizes and limits in their messages.
func Digits(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && c != '-' && (len(s)-i)%3 == 0 && !(i == 1 && s[0] == '-') {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
