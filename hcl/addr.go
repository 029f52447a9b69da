package hcl

import "strings"

// modStep is one module instance of an address: module.name[key].
type modStep struct {
	name string
	key  string // "[0]", `["a"]`, or "" for a module without count/for_each
}

// instAddr is a resource instance address taken apart:
// module.a[0].module.b.aws_subnet.x["k"].
type instAddr struct {
	modules []modStep
	res     string // aws_subnet.x, data.aws_vpc.y
	typ     string
	key     string
}

func (a instAddr) modulePrefix() string {
	var b strings.Builder
	for _, m := range a.modules {
		b.WriteString("module.")
		b.WriteString(m.name)
		b.WriteString(m.key)
		b.WriteByte('.')
	}
	return b.String()
}

// parseInstanceAddr takes an instance address apart; false when it is not
// one.
func parseInstanceAddr(s string) (instAddr, bool) {
	st, ok := splitTraversal(s)
	if !ok {
		return instAddr{}, false
	}
	var a instAddr
	i := 0
	for i+1 < len(st) && st[i].name == "module" && st[i+1].name != "" {
		m := modStep{name: st[i+1].name}
		i += 2
		if i < len(st) && st[i].index != "" {
			m.key = st[i].index
			i++
		}
		a.modules = append(a.modules, m)
	}
	prefix := ""
	if i < len(st) && st[i].name == "data" {
		prefix = "data."
		i++
	}
	if i+1 >= len(st) || st[i].name == "" || st[i+1].name == "" {
		return instAddr{}, false
	}
	a.typ = st[i].name
	a.res = prefix + st[i].name + "." + st[i+1].name
	i += 2
	if i < len(st) && st[i].index != "" {
		a.key = st[i].index
		i++
	}
	return a, i == len(st)
}

// resourceType returns the resource type inside an address or a symbolic ID
// (aws_internet_gateway for module.net.aws_internet_gateway.main.id), or ""
// when s is neither.
func resourceType(s string) string {
	st, ok := splitTraversal(s)
	if !ok {
		return ""
	}
	i := 0
	for i+1 < len(st) && st[i].name == "module" {
		i += 2
		if i < len(st) && st[i].index != "" {
			i++
		}
	}
	if i < len(st) && st[i].name == "data" {
		i++
	}
	if i+1 < len(st) && strings.Contains(st[i].name, "_") && st[i+1].name != "" {
		return st[i].name
	}
	return ""
}

// travStep is one step of a traversal: a name (after a dot or at the start)
// or an index in brackets, kept with its brackets as Terraform prints it.
type travStep struct {
	name  string
	index string
}

// splitTraversal splits a reference or address such as
// module.a["x"].aws_subnet.y[0].id into its steps; false when s is not one.
func splitTraversal(s string) ([]travStep, bool) {
	var out []travStep
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
			out = append(out, travStep{index: s[i : j+1]})
			i = j + 1
		default:
			j := i
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			out = append(out, travStep{name: s[i:j]})
			i = j
		}
	}
	return out, len(out) > 0
}
