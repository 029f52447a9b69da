package hcl

import (
	"io"

	"github.com/vpcsim/vpcsim/hcl/config"
	"github.com/vpcsim/vpcsim/hcl/mapper"
)

// Option configures a load.
type Option func(*options)

type options struct {
	// region and accountID are the defaults for elements whose region or
	// account the input does not say.
	region, accountID string
	// cliVars are the --var and --var-file options in command-line order,
	// which is their order of precedence (the last one wins).
	cliVars []config.Var
	// env is the environment searched for TF_VAR_name; nil means
	// os.Environ().
	env []string
	// dataValues is a JSON file giving the values of data sources
	// (availability zones, looked-up VPCs and prefix lists); "" means none.
	dataValues string
	// stdin is what Load reads for the path "-"; nil means os.Stdin.
	stdin io.Reader
	// display turns a path of the loaded file system into the name
	// diagnostics and positions show; nil shows the path unchanged.
	display func(string) string
	// placeholderBlock is the block of public placeholder addresses the
	// input takes (LoadAll gives each input its own).
	placeholderBlock int
	// namespace qualifies the input's symbolic IDs (LoadAll gives each
	// input its own).
	namespace string
	// limits bound what the load reads and the work it does.
	limits Limits
}

// Limits bound what one load reads and the work it does, so that an input
// crafted (or broken) to make vpcsim run for ever or exhaust memory is
// refused within seconds, with an error naming the file, the line and the
// command-line flag that raises the limit. A zero field takes its default;
// docs/limits.md explains each, with the figures behind the defaults.
type Limits struct {
	// MaxInputSize bounds, in bytes, one state or plan (a file or standard
	// input) and the data values file. LoadBytes takes the bytes it is
	// given. Default 150,000,000: the performance target's 20,000-interface
	// estate is a 127 MB state.
	MaxInputSize int64
	// MaxConfigSize bounds, in bytes, a configuration's source: the .tf,
	// .tf.json and .tfvars files of all its modules, --var-file files and
	// templates, together. Terraform configuration takes about fifty times
	// as long to read as a state of the same size. Default 16,000,000.
	MaxConfigSize int64
	// MaxStringSize bounds one string, in bytes: in a state or plan, and
	// every string a configuration holds or builds. Default 16 MiB.
	MaxStringSize int
	// MaxEvalSteps bounds a configuration's evaluation work (see
	// config.Limits.MaxSteps). Default 2,000,000, about two seconds of CPU.
	MaxEvalSteps int64
	// MaxInstances bounds the instances of one resource, data source or
	// module call of a configuration (count, for_each). Default 10,000.
	MaxInstances int
}

// DefaultLimits returns the limits a load has when WithLimits is not given.
func DefaultLimits() Limits {
	return Limits{MaxInputSize: config.DefaultMaxInputSize, MaxConfigSize: config.DefaultMaxConfigSize, MaxStringSize: config.DefaultMaxStringSize,
		MaxEvalSteps: config.DefaultMaxSteps, MaxInstances: config.DefaultMaxInstances}
}

// withDefaults fills the zero fields of l.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxInputSize <= 0 {
		l.MaxInputSize = d.MaxInputSize
	}
	if l.MaxConfigSize <= 0 {
		l.MaxConfigSize = d.MaxConfigSize
	}
	if l.MaxStringSize <= 0 {
		l.MaxStringSize = d.MaxStringSize
	}
	if l.MaxEvalSteps <= 0 {
		l.MaxEvalSteps = d.MaxEvalSteps
	}
	if l.MaxInstances <= 0 {
		l.MaxInstances = d.MaxInstances
	}
	return l
}

// WithLimits sets the limits of the load; zero fields keep their defaults.
func WithLimits(l Limits) Option { return func(o *options) { o.limits = l } }

// WithRegion sets the region assumed for elements that do not name one.
func WithRegion(region string) Option { return func(o *options) { o.region = region } }

// WithAccountID sets the account assumed for elements that do not name one.
func WithAccountID(id string) Option { return func(o *options) { o.accountID = id } }

// WithVar sets a configuration variable, like terraform's -var name=value.
func WithVar(name, value string) Option {
	return func(o *options) { o.cliVars = append(o.cliVars, config.Var{Name: name, Value: value}) }
}

// WithVarFile reads variable values from a .tfvars or .tfvars.json file,
// like terraform's -var-file. The path is a path of the operating system,
// not of the file system being loaded. WithVar and WithVarFile options take
// precedence in the order given, as on terraform's command line.
func WithVarFile(path string) Option {
	return func(o *options) { o.cliVars = append(o.cliVars, config.Var{File: path}) }
}

// WithEnv replaces the environment searched for TF_VAR_name variables.
func WithEnv(env []string) Option { return func(o *options) { o.env = env } }

// WithDataValues names a JSON file (a path of the operating system) that
// gives the values of data sources the configuration reads; see
// docs/loading-config.md for its format.
func WithDataValues(path string) Option { return func(o *options) { o.dataValues = path } }

// WithStdin sets what Load reads when the path is "-" (os.Stdin by
// default), so that a command can pass its own standard input.
func WithStdin(r io.Reader) Option { return func(o *options) { o.stdin = r } }

func collect(opts []Option) *options {
	o := &options{}
	for _, f := range opts {
		f(o)
	}
	o.limits = o.limits.withDefaults()
	return o
}

// mapOptions are the options the mapper takes.
func (o *options) mapOptions() mapper.Options {
	return mapper.Options{Region: o.region, AccountID: o.accountID, PlaceholderBlock: o.placeholderBlock, Namespace: o.namespace}
}

// configOptions are the options the configuration evaluator takes.
func (o *options) configOptions() *config.Options {
	return &config.Options{Region: o.region, AccountID: o.accountID, Vars: o.cliVars, Env: o.env, DataValues: o.dataValues, Display: o.display,
		Limits: config.Limits{MaxSteps: o.limits.MaxEvalSteps, MaxStringSize: o.limits.MaxStringSize,
			MaxConfigSize: o.limits.MaxConfigSize, MaxInputSize: o.limits.MaxInputSize, MaxInstances: o.limits.MaxInstances}}
}

// withDisplay names the files of the loaded file system in positions and
// diagnostics.
func withDisplay(f func(string) string) Option { return func(o *options) { o.display = f } }

func withPlaceholderBlock(i int) Option { return func(o *options) { o.placeholderBlock = i } }

func withNamespace(ns string) Option { return func(o *options) { o.namespace = ns } }
