package resource

import (
	"strings"
)

// ModStep is one module instance of an address: module.name[key].
type ModStep struct {
	Name string
	Key  string // "[0]", `["a"]`, or "" for a module without count/for_each
}

// Addr is a resource instance address taken apart:
// module.a[0].module.b.aws_subnet.x["k"].
type Addr struct {
	Modules []ModStep
	Res     string // aws_subnet.x, data.aws_vpc.y
	typ     string
	Key     string
}

func (a Addr) ModulePrefix() string {
	var b strings.Builder
	for _, m := range a.Modules {
		b.WriteString("module.")
		b.WriteString(m.Name)
		b.WriteString(m.Key)
		b.WriteByte('.')
	}
	return b.String()
}

// ParseAddr takes an instance address apart; false when it is not
// one.
func ParseAddr(s string) (Addr, bool) {
	st, ok := SplitTraversal(s)
	if !ok {
		return Addr{}, false
	}
	var a Addr
	i := 0
	for i+1 < len(st) && st[i].Name == "module" && st[i+1].Name != "" {
		m := ModStep{Name: st[i+1].Name}
		i += 2
		if i < len(st) && st[i].Index != "" {
			m.Key = st[i].Index
			i++
		}
		a.Modules = append(a.Modules, m)
	}
	prefix := ""
	if i < len(st) && st[i].Name == "data" {
		prefix = "data."
		i++
	}
	if i+1 >= len(st) || st[i].Name == "" || st[i+1].Name == "" {
		return Addr{}, false
	}
	a.typ = st[i].Name
	a.Res = prefix + st[i].Name + "." + st[i+1].Name
	i += 2
	if i < len(st) && st[i].Index != "" {
		a.Key = st[i].Index
		i++
	}
	return a, i == len(st)
}

// TypeOf returns the resource type inside an address or a symbolic ID
// (aws_internet_gateway for module.net.aws_internet_gateway.main.id), or ""
// when s is neither.
func TypeOf(s string) string {
	st, ok := SplitTraversal(s)
	if !ok {
		return ""
	}
	i := 0
	for i+1 < len(st) && st[i].Name == "module" {
		i += 2
		if i < len(st) && st[i].Index != "" {
			i++
		}
	}
	if i < len(st) && st[i].Name == "data" {
		i++
	}
	if i+1 < len(st) && strings.Contains(st[i].Name, "_") && st[i+1].Name != "" {
		return st[i].Name
	}
	return ""
}

// Step is one step of a traversal: a name (after a dot or at the start)
// or an index in brackets, kept with its brackets as Terraform prints it.
type Step struct {
	Name  string
	Index string
}

// SplitTraversal splits a reference or address such as
// module.a["x"].aws_subnet.y[0].id into its steps; false when s is not one.
func SplitTraversal(s string) ([]Step, bool) {
	var out []Step
	i := 0
	for i < len(s) {
		switch s[i] {
		case '.':
			if i == 0 || i+1 >= len(s) || s[i+1] == '.' || s[i+1] == '[' {
				return nil, false
			}
			i++
		case '[':
			j := i + 1
			if j < len(s) && s[j] == '"' {
				j++
				for j < len(s) && s[j] != '"' {
					if s[j] == '\\' {
						j++
					}
					j++
				}
				j++ // closing quote
			} else {
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
				if j == i+1 {
					return nil, false
				}
			}
			if j >= len(s) || s[j] != ']' {
				return nil, false
			}
			out = append(out, Step{Index: s[i : j+1]})
			i = j + 1
		default:
			j := i
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			out = append(out, Step{Name: s[i:j]})
			i = j
		}
	}
	return out, len(out) > 0
}
