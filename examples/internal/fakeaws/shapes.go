package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// checkshapes checks every file of a snapshot against the output shape of
// its API call in the AWS SDK's service models (botocore's data folder:
// SERVICE/VERSION/service-2.json, possibly gzipped): every member name and
// nesting must exist, every value must have the member's type. The models
// are what the AWS CLI itself parses responses with, so a file that passes
// has the names and nesting the CLI prints.
func runCheckShapes(args []string) error {
	fs := flag.NewFlagSet("checkshapes", flag.ContinueOnError)
	models := fs.String("models", "", "botocore's data folder")
	dir := fs.String("snapshot", "", "the snapshot folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *models == "" || *dir == "" {
		return errors.New("checkshapes needs -models and -snapshot")
	}
	var problems []string
	n := 0
	cache := map[string]*apiModel{}
	err := filepath.WalkDir(*dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		// SERVICE-OPERATION.json, or SERVICE-OPERATION/KEY.json.
		call := strings.TrimSuffix(filepath.Base(path), ".json")
		if parent := filepath.Base(filepath.Dir(path)); snapshotServices[strings.SplitN(parent, "-", 2)[0]] {
			call = parent
		}
		service, op, ok := strings.Cut(call, "-")
		if !ok {
			return fmt.Errorf("%s: not SERVICE-OPERATION.json", path)
		}
		m, ok := cache[service]
		if !ok {
			if m, err = loadModel(*models, service); err != nil {
				return err
			}
			cache[service] = m
		}
		shape, err := m.outputShape(op)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var doc any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		rel, _ := filepath.Rel(*dir, path)
		m.check(rel, shape, doc, &problems)
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	fmt.Fprintf(os.Stderr, "fakeaws: %d files match their API's output shape\n", n)
	return nil
}

// snapshotServices are the AWS CLI services whose calls a snapshot holds.
var snapshotServices = map[string]bool{"ec2": true, "elbv2": true, "elb": true, "autoscaling": true, "rds": true, "lambda": true, "sts": true}

type apiModel struct {
	Operations map[string]struct {
		Output *struct {
			Shape string `json:"shape"`
		} `json:"output"`
	} `json:"operations"`
	Shapes map[string]*apiShape `json:"shapes"`
}

type apiShape struct {
	Type    string `json:"type"`
	Members map[string]struct {
		Shape string `json:"shape"`
	} `json:"members"`
	Member *struct {
		Shape string `json:"shape"`
	} `json:"member"`
	Value *struct {
		Shape string `json:"shape"`
	} `json:"value"`
}

// loadModel reads the newest API version of service.
func loadModel(dataDir, service string) (*apiModel, error) {
	versions, err := os.ReadDir(filepath.Join(dataDir, service))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, v := range versions {
		if v.IsDir() {
			names = append(names, v.Name())
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no model for %s", service)
	}
	sort.Strings(names)
	base := filepath.Join(dataDir, service, names[len(names)-1], "service-2.json")
	var r io.Reader
	f, err := os.Open(base)
	if errors.Is(err, fs.ErrNotExist) {
		if f, err = os.Open(base + ".gz"); err != nil {
			return nil, err
		}
		defer f.Close()
		if r, err = gzip.NewReader(f); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	} else {
		defer f.Close()
		r = f
	}
	var m apiModel
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %w", base, err)
	}
	return &m, nil
}

// outputShape finds the operation whose name is op without its dashes,
// in any case ("describe-db-instances" is DescribeDBInstances).
func (m *apiModel) outputShape(op string) (string, error) {
	want := strings.ReplaceAll(op, "-", "")
	for name, o := range m.Operations {
		if strings.EqualFold(name, want) {
			if o.Output == nil {
				return "", fmt.Errorf("%s has no output", name)
			}
			return o.Output.Shape, nil
		}
	}
	return "", fmt.Errorf("no operation %s", op)
}

func (m *apiModel) check(path, shapeName string, v any, problems *[]string) {
	sh, ok := m.Shapes[shapeName]
	if !ok {
		*problems = append(*problems, fmt.Sprintf("%s: the model has no shape %s", path, shapeName))
		return
	}
	bad := func(want string) {
		*problems = append(*problems, fmt.Sprintf("%s: want %s (%s), have %s", path, want, shapeName, compact(v)))
	}
	switch sh.Type {
	case "structure":
		o, ok := v.(map[string]any)
		if !ok {
			bad("an object")
			return
		}
		for _, k := range sortedKeys(o) {
			mem, ok := sh.Members[k]
			if !ok {
				*problems = append(*problems, fmt.Sprintf("%s: %s has no member %s", path, shapeName, k))
				continue
			}
			m.check(path+"."+k, mem.Shape, o[k], problems)
		}
	case "list":
		l, ok := v.([]any)
		if !ok {
			bad("a list")
			return
		}
		for i, x := range l {
			m.check(fmt.Sprintf("%s[%d]", path, i), sh.Member.Shape, x, problems)
		}
	case "map":
		o, ok := v.(map[string]any)
		if !ok {
			bad("a map")
			return
		}
		for k, x := range o {
			m.check(path+"."+k, sh.Value.Shape, x, problems)
		}
	case "string", "timestamp", "blob":
		if _, ok := v.(string); !ok {
			bad("a string")
		}
	case "integer", "long", "double", "float":
		if _, ok := v.(json.Number); !ok {
			bad("a number")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("a boolean")
		}
	default:
		bad("a known type, not " + sh.Type)
	}
}
