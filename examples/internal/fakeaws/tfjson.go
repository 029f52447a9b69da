package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// The parts of Terraform's JSON documents fakeaws reads: the plan
// (`terraform show -json PLAN`), the provider schemas (`terraform providers
// schema -json`) and the state file. Numbers stay json.Number so that they
// are written back exactly as Terraform wrote them.

type planDoc struct {
	TerraformVersion string           `json:"terraform_version"`
	ResourceChanges  []resourceChange `json:"resource_changes"`
	PriorState       *struct {
		Values struct {
			RootModule valuesModule `json:"root_module"`
		} `json:"values"`
	} `json:"prior_state"`
	Configuration struct {
		ProviderConfig map[string]struct {
			Expressions map[string]any `json:"expressions"`
		} `json:"provider_config"`
		RootModule struct {
			Resources   []configResource `json:"resources"`
			ModuleCalls map[string]any   `json:"module_calls"`
		} `json:"root_module"`
	} `json:"configuration"`
}

type resourceChange struct {
	Address      string `json:"address"`
	ModuleAddr   string `json:"module_address"`
	Mode         string `json:"mode"`
	Type         string `json:"type"`
	Name         string `json:"name"`
	Index        any    `json:"index"`
	ProviderName string `json:"provider_name"`
	Change       struct {
		Actions        []string       `json:"actions"`
		After          map[string]any `json:"after"`
		AfterUnknown   map[string]any `json:"after_unknown"`
		AfterSensitive any            `json:"after_sensitive"`
	} `json:"change"`
}

type valuesModule struct {
	Resources []struct {
		Address         string         `json:"address"`
		Mode            string         `json:"mode"`
		Type            string         `json:"type"`
		Name            string         `json:"name"`
		Index           any            `json:"index"`
		ProviderName    string         `json:"provider_name"`
		SchemaVersion   int            `json:"schema_version"`
		Values          map[string]any `json:"values"`
		SensitiveValues any            `json:"sensitive_values"`
	} `json:"resources"`
}

type configResource struct {
	Address           string         `json:"address"`
	Mode              string         `json:"mode"`
	Expressions       map[string]any `json:"expressions"`
	CountExpression   map[string]any `json:"count_expression"`
	ForEachExpression map[string]any `json:"for_each_expression"`
	DependsOn         []string       `json:"depends_on"`
}

type schemaDoc struct {
	ProviderSchemas map[string]struct {
		ResourceSchemas   map[string]*resourceSchema `json:"resource_schemas"`
		DataSourceSchemas map[string]*resourceSchema `json:"data_source_schemas"`
	} `json:"provider_schemas"`
}

type resourceSchema struct {
	Version int          `json:"version"`
	Block   *schemaBlock `json:"block"`
}

type schemaBlock struct {
	Attributes map[string]*schemaAttribute `json:"attributes"`
	BlockTypes map[string]*schemaBlockType `json:"block_types"`
}

type schemaAttribute struct {
	Type     any  `json:"type"`
	Optional bool `json:"optional"`
	Computed bool `json:"computed"`
	Required bool `json:"required"`
}

type schemaBlockType struct {
	NestingMode string       `json:"nesting_mode"`
	Block       *schemaBlock `json:"block"`
}

// stateDoc is a state file (format version 4), its fields in the order
// Terraform writes them.
type stateDoc struct {
	Version          int              `json:"version"`
	TerraformVersion string           `json:"terraform_version"`
	Serial           int              `json:"serial"`
	Lineage          string           `json:"lineage"`
	Outputs          map[string]any   `json:"outputs"`
	Resources        []*stateResource `json:"resources"`
	CheckResults     any              `json:"check_results"`
}

type stateResource struct {
	Mode      string           `json:"mode"`
	Type      string           `json:"type"`
	Name      string           `json:"name"`
	Provider  string           `json:"provider"`
	Instances []*stateInstance `json:"instances"`
}

type stateInstance struct {
	IndexKey            any            `json:"index_key,omitempty"`
	SchemaVersion       int            `json:"schema_version"`
	Attributes          map[string]any `json:"attributes"`
	SensitiveAttributes []any          `json:"sensitive_attributes"`
	Dependencies        []string       `json:"dependencies,omitempty"`
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// writeJSON writes v the way Terraform writes its files: two-space
// indentation, a final newline, through a temporary file so that a failed
// run leaves the previous file whole.
func writeJSON(path string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
