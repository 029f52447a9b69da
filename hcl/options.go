package hcl

import "io"

// Option configures a load.
type Option func(*options)

type options struct {
	// region and accountID are the defaults for elements whose region or
	// account the input does not say.
	region, accountID string
	// vars are --var name=value assignments, in command-line order; the
	// value is parsed the way Terraform parses -var values.
	vars [][2]string
	// varFiles are --var-file paths, in command-line order.
	varFiles []string
	// env is the environment searched for TF_VAR_name; nil means
	// os.Environ().
	env []string
	// dataValues is a JSON file giving the values of data sources
	// (availability zones, looked-up VPCs and prefix lists); "" means none.
	dataValues string
	// stdin is what Load reads for the path "-"; nil means os.Stdin.
	stdin io.Reader
}

// WithRegion sets the region assumed for elements that do not name one.
func WithRegion(region string) Option { return func(o *options) { o.region = region } }

// WithAccountID sets the account assumed for elements that do not name one.
func WithAccountID(id string) Option { return func(o *options) { o.accountID = id } }

// WithVar sets a configuration variable, like terraform's -var name=value.
func WithVar(name, value string) Option {
	return func(o *options) { o.vars = append(o.vars, [2]string{name, value}) }
}

// WithVarFile reads variable values from a .tfvars or .tfvars.json file,
// like terraform's -var-file.
func WithVarFile(path string) Option {
	return func(o *options) { o.varFiles = append(o.varFiles, path) }
}

// WithEnv replaces the environment searched for TF_VAR_name variables.
func WithEnv(env []string) Option { return func(o *options) { o.env = env } }

// WithDataValues names a JSON file that gives the values of data sources the
// configuration reads.
func WithDataValues(path string) Option { return func(o *options) { o.dataValues = path } }

// WithStdin sets what Load reads when the path is "-" (os.Stdin by
// default), so that a command can pass its own standard input.
func WithStdin(r io.Reader) Option { return func(o *options) { o.stdin = r } }

func collect(opts []Option) *options {
	o := &options{}
	for _, f := range opts {
		f(o)
	}
	return o
}
