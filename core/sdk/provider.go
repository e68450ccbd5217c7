package sdk

import (
	"context"
	"fmt"
	"sort"

	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

// Manifest block types a provider can serve.
const (
	KindProject = "project"
	KindAuth    = "auth"
)

// Provider describes a plugin and plans its changes.
type Provider struct {
	// Name is the label of the manifest block, such as "jwt" in auth "jwt".
	Name string
	// Kind is the manifest block type: KindProject or KindAuth.
	Kind    string
	Version string
	Summary string
	Options []Option
	// Env lists the environment variables the plugin may set.
	Env []EnvVar
	// Dependencies lists the Python requirements the plugin may add.
	Dependencies []string
	// Plan returns the patches for the validated options in req.
	Plan func(ctx context.Context, req *Request) (*Plan, error)
}

// EnvVar declares an environment variable a plugin sets.
type EnvVar struct {
	Name        string
	Description string
	Secret      bool
}

// Option is one attribute of the plugin's manifest block.
type Option struct {
	Name        string
	Type        pluginpb.ValueType
	Description string
	// Default is nil for a required option.
	Default *pluginpb.Value
	Allowed []string
	Range   *[2]int64
}

// StringOption declares a string option with a default value.
func StringOption(name, def, description string, allowed ...string) Option {
	return Option{Name: name, Type: pluginpb.ValueType_VALUE_TYPE_STRING, Description: description,
		Default: StringValue(def), Allowed: allowed}
}

// IntOption declares an integer option with a default and inclusive bounds.
func IntOption(name string, def, min, max int64, description string) Option {
	return Option{Name: name, Type: pluginpb.ValueType_VALUE_TYPE_INT, Description: description,
		Default: IntValue(def), Range: &[2]int64{min, max}}
}

// BoolOption declares a boolean option with a default value.
func BoolOption(name string, def bool, description string) Option {
	return Option{Name: name, Type: pluginpb.ValueType_VALUE_TYPE_BOOL, Description: description,
		Default: BoolValue(def)}
}

// StringListOption declares a list-of-strings option with a default value.
func StringListOption(name string, def []string, description string) Option {
	return Option{Name: name, Type: pluginpb.ValueType_VALUE_TYPE_STRING_LIST, Description: description,
		Default: StringListValue(def)}
}

// StringValue wraps s as a protocol value.
func StringValue(s string) *pluginpb.Value {
	return &pluginpb.Value{Kind: &pluginpb.Value_String_{String_: s}}
}

// IntValue wraps n as a protocol value.
func IntValue(n int64) *pluginpb.Value {
	return &pluginpb.Value{Kind: &pluginpb.Value_Int{Int: n}}
}

// BoolValue wraps b as a protocol value.
func BoolValue(b bool) *pluginpb.Value {
	return &pluginpb.Value{Kind: &pluginpb.Value_Bool{Bool: b}}
}

// StringListValue wraps items as a protocol value.
func StringListValue(items []string) *pluginpb.Value {
	return &pluginpb.Value{Kind: &pluginpb.Value_StringList{StringList: &pluginpb.StringList{Items: items}}}
}

// Describe returns the provider's description in protocol form.
func (p *Provider) Describe() *pluginpb.DescribeResponse {
	resp := &pluginpb.DescribeResponse{
		Name:               p.Name,
		Kind:               p.Kind,
		Version:            p.Version,
		Summary:            p.Summary,
		PythonDependencies: append([]string(nil), p.Dependencies...),
	}
	for _, o := range p.Options {
		resp.Options = append(resp.Options, o.Describe())
	}
	for _, e := range p.Env {
		resp.Env = append(resp.Env, &pluginpb.EnvVar{Name: e.Name, Description: e.Description, Secret: e.Secret})
	}
	return resp
}

// Request is one planning request: validated options with defaults filled
// in, and a read-only view of the project.
type Request struct {
	ProjectName string
	Options     map[string]*pluginpb.Value
	Project     ProjectReader
}

// String returns the string option name, or "" when it is not a string.
func (r *Request) String(name string) string {
	return r.Options[name].GetString_()
}

// Int returns the integer option name, or 0 when it is not an integer.
func (r *Request) Int(name string) int64 {
	return r.Options[name].GetInt()
}

// Bool returns the boolean option name, or false when it is not a boolean.
func (r *Request) Bool(name string) bool {
	return r.Options[name].GetBool()
}

// StringList returns the list option name, or nil when it is not a list.
func (r *Request) StringList(name string) []string {
	return r.Options[name].GetStringList().GetItems()
}

// ProjectReader is a read-only view of the project. Paths are
// slash-separated and relative to the project root; the host rejects paths
// that leave the root or enter .git.
type ProjectReader interface {
	// ReadFile returns the file's content; ok is false when it does not exist.
	ReadFile(ctx context.Context, path string) (content []byte, ok bool, err error)
	// ListDir returns the sorted entries of a directory; ok is false when it
	// does not exist.
	ListDir(ctx context.Context, path string) (entries []DirEntry, ok bool, err error)
}

// DirEntry is one entry of a project directory.
type DirEntry struct {
	Name  string
	IsDir bool
}

// Plan collects the patches and diagnostics a provider returns.
type Plan struct {
	Patches     []*pluginpb.Patch
	Diagnostics []*pluginpb.Diagnostic
}

// WriteFile creates or replaces path with content.
func (p *Plan) WriteFile(path string, content []byte) {
	p.Patches = append(p.Patches, &pluginpb.Patch{Kind: &pluginpb.Patch_WriteFile{
		WriteFile: &pluginpb.WriteFile{Path: path, Content: content},
	}})
}

// WriteFileIfMissing creates path with content only when it does not exist,
// for files the user owns once they exist.
func (p *Plan) WriteFileIfMissing(path string, content []byte) {
	p.Patches = append(p.Patches, &pluginpb.Patch{Kind: &pluginpb.Patch_WriteFile{
		WriteFile: &pluginpb.WriteFile{Path: path, Content: content, IfMissing: true},
	}})
}

// DeleteFile removes path if it exists.
func (p *Plan) DeleteFile(path string) {
	p.Patches = append(p.Patches, &pluginpb.Patch{Kind: &pluginpb.Patch_DeleteFile{
		DeleteFile: &pluginpb.DeleteFile{Path: path},
	}})
}

// SetEnv sets name to value in every env file of the project.
func (p *Plan) SetEnv(name, value string) {
	p.Patches = append(p.Patches, &pluginpb.Patch{Kind: &pluginpb.Patch_SetEnv{
		SetEnv: &pluginpb.SetEnv{Name: name, Value: value, Placeholder: value},
	}})
}

// SetSecretEnv ensures name holds a generated secret in every local env file
// and the empty placeholder in example files. An existing secret is kept.
func (p *Plan) SetSecretEnv(name string) {
	p.Patches = append(p.Patches, &pluginpb.Patch{Kind: &pluginpb.Patch_SetEnv{
		SetEnv: &pluginpb.SetEnv{Name: name, Secret: true},
	}})
}

// AddDependency adds a requirement to pyproject.toml unless the
// distribution is listed already, in which case the user's entry stays.
func (p *Plan) AddDependency(requirement string) {
	p.Patches = append(p.Patches, &pluginpb.Patch{Kind: &pluginpb.Patch_AddDependency{
		AddDependency: &pluginpb.AddDependency{Requirement: requirement},
	}})
}

// AddImport adds a top-level import statement to the Python module at path.
func (p *Plan) AddImport(path, statement string) {
	p.Patches = append(p.Patches, &pluginpb.Patch{Kind: &pluginpb.Patch_AddImport{
		AddImport: &pluginpb.AddImport{Path: path, Statement: statement},
	}})
}

// AddRouter adds app.include_router(router) to the Python module at path.
func (p *Plan) AddRouter(path, app, router string) {
	p.Patches = append(p.Patches, &pluginpb.Patch{Kind: &pluginpb.Patch_AddRouter{
		AddRouter: &pluginpb.AddRouter{Path: path, App: app, Router: router},
	}})
}

// AddClassField adds declaration, a field named field, to class in the
// Python module at path, unless the class already has that field.
func (p *Plan) AddClassField(path, class, field, declaration string) {
	p.Patches = append(p.Patches, &pluginpb.Patch{Kind: &pluginpb.Patch_AddClassField{
		AddClassField: &pluginpb.AddClassField{
			Path: path, ClassName: class, FieldName: field, Declaration: declaration},
	}})
}

// Errorf adds an error diagnostic about the manifest attribute attr, which
// may be empty.
func (p *Plan) Errorf(attr, summary, detailFormat string, args ...any) {
	p.Diagnostics = append(p.Diagnostics, &pluginpb.Diagnostic{
		Severity:  pluginpb.Diagnostic_SEVERITY_ERROR,
		Summary:   summary,
		Detail:    fmt.Sprintf(detailFormat, args...),
		Attribute: attr,
	})
}

func sortedEntries(entries []DirEntry) []DirEntry {
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	return entries
}

// Describe returns the option's schema in protocol form.
func (o Option) Describe() *pluginpb.OptionSchema {
	s := &pluginpb.OptionSchema{Name: o.Name, Type: o.Type, Description: o.Description,
		Default: o.Default, Allowed: o.Allowed}
	if o.Range != nil {
		s.HasRange, s.Min, s.Max = true, o.Range[0], o.Range[1]
	}
	return s
}
