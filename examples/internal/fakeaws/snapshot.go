package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// The snapshot is what docs/snapshot.sh would collect from the account a
// state describes: one file per AWS CLI call, in the folder layout that
// script writes (ACCOUNT/REGION/SERVICE-OPERATION.json, and
// SERVICE-OPERATION/KEY.json for the calls made once per resource), each in
// the shape the AWS CLI prints with --output json: the API's response
// structure with its member names, pages merged, four-space indentation.
//
// It holds what AWS has and the state leaves out: each VPC's main route
// table, default network ACL and default security group with their rules,
// local routes, the final "*" network ACL rules, the network interfaces of
// load balancers, NAT gateways, endpoints, databases and Lambda functions,
// and the instances Auto Scaling launched.

func runSnapshot(args []string) error {
	fs := flag.NewFlagSet("snapshot", flag.ContinueOnError)
	statePath := fs.String("state", "", "the state of the account")
	out := fs.String("out", "", "the snapshot folder to write into (its account folder must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *statePath == "" || *out == "" {
		return errors.New("snapshot needs -state and -out")
	}
	if _, err := os.Stat(filepath.Join(*out, account)); err == nil {
		return fmt.Errorf("%s exists", filepath.Join(*out, account))
	}
	var st stateDoc
	if err := readJSON(*statePath, &st); err != nil {
		return err
	}
	s := newSnap(&st)
	if err := s.build(); err != nil {
		return err
	}
	return s.write(filepath.Join(*out, account))
}

// obj is a JSON object whose keys keep the order they are added in, as the
// AWS CLI prints them in the order of the response.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// add appends key k with value v unless v is absent: AWS leaves out the
// members it has no value for.
func (o *obj) add(k string, v any) {
	switch x := v.(type) {
	case nil:
		return
	case string:
		if x == "" {
			return
		}
	}
	*o = append(*o, kv{k, v})
}

// set appends key k whatever its value ("" and empty lists included).
func (o *obj) set(k string, v any) { *o = append(*o, kv{k, v}) }

// snap builds the snapshot of one state.
type snap struct {
	ns    string // the state's lineage: seeds of values made up for it
	st    *stateDoc
	byID  map[string]map[string]any
	addrs *addresses
	files map[string]any // path under ACCOUNT/REGION -> document

	sgNames map[string]string // security group ID -> name
	enis    []*eni
	insts   []*instance
}

func newSnap(st *stateDoc) *snap {
	s := &snap{ns: st.Lineage, st: st, byID: map[string]map[string]any{}, addrs: newAddresses(), files: map[string]any{}, sgNames: map[string]string{}}
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			walkStrings(in.Attributes, s.addrs.take)
			if id, ok := in.Attributes["id"].(string); ok && r.Mode == "managed" {
				s.byID[id] = in.Attributes
			}
		}
	}
	return s
}

// each calls f for every managed instance of type typ, in state order.
func (s *snap) each(typ string, f func(addr string, a map[string]any) error) error {
	for _, r := range s.st.Resources {
		if r.Mode != "managed" || r.Type != typ {
			continue
		}
		for _, in := range r.Instances {
			addr := r.Type + "." + r.Name
			switch k := in.IndexKey.(type) {
			case string:
				addr += fmt.Sprintf("[%q]", k)
			case json.Number:
				addr += "[" + k.String() + "]"
			}
			if err := f(addr, in.Attributes); err != nil {
				return fmt.Errorf("%s: %w", addr, err)
			}
		}
	}
	return nil
}

func (s *snap) all(typ string) []map[string]any {
	var out []map[string]any
	_ = s.each(typ, func(_ string, a map[string]any) error { out = append(out, a); return nil })
	return out
}

func (s *snap) get(id string) (map[string]any, error) {
	a, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("nothing in the state has ID %q", id)
	}
	return a, nil
}

func (s *snap) build() error {
	steps := []func() error{
		s.securityGroupNames,
		s.instances, s.interfaces,
		s.vpcs, s.subnets, s.routeTables, s.networkACLs, s.securityGroups,
		s.gateways, s.endpoints, s.prefixLists, s.transitGateways, s.describeInstances, s.describeInterfaces,
		s.launchTemplates, s.loadBalancers, s.classicLoadBalancers, s.autoScalingGroups, s.databases, s.functions, s.identity,
	}
	for _, f := range steps {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

// put adds the document of a regional call.
func (s *snap) put(name string, doc any) { s.files[region+"/"+name] = doc }

// write writes every document with the AWS CLI's formatting.
func (s *snap) write(dir string) error {
	paths := make([]string, 0, len(s.files))
	for p := range s.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "    ")
		if err := enc.Encode(s.files[p]); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// tags is a Tags list as the APIs return it, sorted by key.
func tags(v any) []any {
	m, _ := v.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := []any{}
	for _, k := range keys {
		out = append(out, obj{{"Key", k}, {"Value", m[k]}})
	}
	return out
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func intOf(v any) int {
	switch x := v.(type) {
	case json.Number:
		n, _ := x.Int64()
		return int(n)
	case int:
		return x
	}
	return 0
}

func strs(v any) []string {
	l, _ := v.([]any)
	out := []string{}
	for _, x := range l {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

func objs(v any) []map[string]any {
	l, _ := v.([]any)
	var out []map[string]any
	for _, x := range l {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func anyList[T any](l []T) []any {
	out := make([]any, 0, len(l))
	for _, x := range l {
		out = append(out, x)
	}
	return out
}

// macAddress is a locally administered unicast MAC, as AWS gives interfaces.
func macAddress(seed string) string {
	h := hexN(10, "mac|"+seed)
	parts := []string{"0e"}
	for i := 0; i < 10; i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}

// sortedIDs returns the keys of m, sorted.
func sortedIDs[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
