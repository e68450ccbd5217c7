// Package engine plans and applies a manifest: it runs each block's plugin,
// lays the returned patches over the project in memory, and then writes the
// result all or nothing and commits exactly the paths it touched.
package engine

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/hcl/v2"

	"github.com/fastman-cli/fastman/core/host"
	"github.com/fastman-cli/fastman/core/manifest"
	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

// Engine plans and applies manifests for the project in Dir. The plugin
// processes it starts keep running until Close, which callers must call.
type Engine struct {
	// Dir is the absolute path of the project root.
	Dir      string
	Launcher *host.Launcher
	Logger   hclog.Logger
	// Random is the source of generated secrets; crypto/rand when nil.
	Random io.Reader
	// Upgrade accepts plugin versions that differ from the lock file.
	Upgrade bool
	// Overwrite replaces generated files that the user has edited, and
	// existing files that a plugin would generate, instead of keeping them.
	Overwrite bool

	pluginsMu sync.Mutex
	// plugins contains the plugin starts by name, nil after Close.
	plugins map[string]*pluginStart
}

// DiagnosticsError carries manifest diagnostics with the sources they point
// into, for rendering with snippets.
type DiagnosticsError struct {
	Diags hcl.Diagnostics
	// Sources maps file names to their contents.
	Sources map[string][]byte
}

func (e *DiagnosticsError) Error() string { return e.Diags.Error() }

// Plan is the set of changes that a manifest requires.
type Plan struct {
	Changes []*Change
	// Plugins lists the plugins that planned, in run order.
	Plugins []PluginInfo
	// SecretEnv names the environment variables whose values are secrets.
	SecretEnv map[string]bool
	// ManifestChanged reports whether the plan includes a new manifest.
	ManifestChanged bool
	// Warnings are shown with the plan and do not stop it.
	Warnings hcl.Diagnostics
}

// PluginInfo identifies one plugin that took part in a plan.
type PluginInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Block   string `json:"block"`
	// Files maps each file the plugin generated to the SHA-256 of its
	// content as generated, as recorded in the lock file.
	Files map[string]string `json:"-"`
}

// Change is the planned change of one path.
type Change struct {
	Path       string
	Old, New   []byte
	OldExists  bool
	NewExists  bool
	Executable bool
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// Paths returns the changed paths in order.
func (p *Plan) Paths() []string {
	out := make([]string, len(p.Changes))
	for i, c := range p.Changes {
		out[i] = c.Path
	}
	return out
}

func (e *Engine) random() io.Reader {
	if e.Random != nil {
		return e.Random
	}
	return rand.Reader
}

func (e *Engine) logger() hclog.Logger {
	if e.Logger != nil {
		return e.Logger
	}
	return hclog.NewNullLogger()
}

// ReadManifest returns the manifest on disk.
func (e *Engine) ReadManifest() ([]byte, error) {
	root, err := os.OpenRoot(e.Dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	info, err := root.Lstat(manifest.FileName)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s not found in %s; run fastman in the project root or create a project with `fastman create NAME`", manifest.FileName, e.Dir)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", manifest.FileName, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s in %s is not a regular file (%s); replace it with the project's manifest file", manifest.FileName, e.Dir, info.Mode().Type())
	}
	return root.ReadFile(manifest.FileName)
}

// ParseManifest parses src, returning a *DiagnosticsError on errors.
func ParseManifest(src []byte) (*manifest.Manifest, error) {
	m, diags := manifest.Parse(src, manifest.FileName)
	if diags.HasErrors() {
		return nil, diagError(src, diags)
	}
	return m, nil
}

func diagError(src []byte, diags hcl.Diagnostics) *DiagnosticsError {
	return &DiagnosticsError{Diags: diags, Sources: map[string][]byte{manifest.FileName: src}}
}

// Plan runs the plugins of the manifest src, which becomes the project's
// manifest when it differs from the one on disk, and returns the changes.
func (e *Engine) Plan(ctx context.Context, src []byte) (*Plan, error) {
	m, err := ParseManifest(src)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(e.Dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	ov := newOverlay(root)
	plan := &Plan{SecretEnv: map[string]bool{}}
	if disk, ok, err := ov.readDisk(manifest.FileName); err != nil {
		return nil, err
	} else if !ok || !bytes.Equal(disk, src) {
		ov.write(manifest.FileName, src, false)
		plan.ManifestChanged = true
	}

	lockSrc, _, err := ov.readDisk(LockFileName)
	if err != nil {
		return nil, err
	}
	sources := map[string][]byte{manifest.FileName: src, LockFileName: lockSrc}
	locks, diags := parseLock(lockSrc)
	if diags.HasErrors() {
		return nil, &DiagnosticsError{Diags: diags, Sources: sources}
	}
	// Every block's plugin starts now, so that the processes start in
	// parallel while the blocks plan one after another.
	blocks := m.Blocks()
	for _, b := range blocks {
		e.StartPlugins(b.Provider)
	}
	env := &envPlan{}
	for _, b := range blocks {
		d, err := e.planBlock(ctx, m, b, ov, env, plan, locks)
		diags = append(diags, d...)
		if err != nil {
			return nil, err
		}
		if diags.HasErrors() {
			return nil, &DiagnosticsError{Diags: diags, Sources: sources}
		}
	}
	if err := recordFiles(ov, plan.Plugins); err != nil {
		return nil, err
	}
	removed := removedPlugins(locks, plan.Plugins)
	warnings, err := removedWarnings(ov, removed)
	if err != nil {
		return nil, err
	}
	plan.Warnings = append(plan.Warnings, warnings...)
	ov.write(LockFileName, renderLock(append(slices.Clone(plan.Plugins), removed...)), false)
	if err := env.apply(ov, e.random()); err != nil {
		return nil, err
	}
	for name, secret := range env.secretNames() {
		plan.SecretEnv[name] = secret
	}
	plan.Changes, err = changes(ov)
	if err != nil {
		return nil, err
	}
	return plan, nil
}

func (e *Engine) planBlock(ctx context.Context, m *manifest.Manifest, b *manifest.Block, ov *overlay, env *envPlan, plan *Plan, locks map[string]lockEntry) (hcl.Diagnostics, error) {
	if _, err := e.Launcher.Command(b.Provider); errors.Is(err, host.ErrNotFound) {
		return hcl.Diagnostics{e.unknownType(b)}, nil
	}
	e.logger().Debug("planning block", "plugin", b.Provider, "block", b.Title())
	p, err := e.plugin(b.Provider)
	if err != nil {
		return nil, err
	}
	desc, err := p.Describe(ctx)
	if err != nil {
		return nil, err
	}
	if desc.GetKind() != b.Type || desc.GetName() != b.Provider {
		return nil, &host.Error{Plugin: b.Provider, Call: "Describe", Err: fmt.Errorf(
			"the plugin describes itself as %s %q, not %s; install the right plugin", desc.GetKind(), desc.GetName(), b.Title())}
	}
	if d := checkLock(locks, desc.GetName(), desc.GetVersion()); d != nil && !e.Upgrade {
		return hcl.Diagnostics{d}, nil
	}
	opts, diags := b.Options(desc.GetOptions())
	if diags.HasErrors() {
		return diags, nil
	}
	resp, err := p.Plan(ctx, &pluginpb.PlanRequest{Options: opts, ProjectName: m.Project.Label}, ov)
	if err != nil {
		return nil, err
	}
	for _, d := range resp.GetDiagnostics() {
		sev := hcl.DiagError
		if d.GetSeverity() == pluginpb.Diagnostic_SEVERITY_WARNING {
			sev = hcl.DiagWarning
		}
		subject := b.DefRange
		if d.GetAttribute() != "" {
			subject = b.AttributeRange(d.GetAttribute())
		}
		diags = append(diags, &hcl.Diagnostic{Severity: sev, Summary: d.GetSummary(), Detail: d.GetDetail(), Subject: subject.Ptr()})
	}
	if diags.HasErrors() {
		return diags, nil
	}
	a := &applier{plugin: b.Provider, project: m.Project.Label, desc: desc, ov: ov, env: env,
		recorded: locks[desc.GetName()].files, overwrite: e.Overwrite, files: map[string]string{}}
	for i, patch := range resp.GetPatches() {
		if err := a.apply(patch); err != nil {
			var project *projectError
			if errors.As(err, &project) {
				return nil, fmt.Errorf("%s: %w", b.Title(), project.err)
			}
			return nil, &host.Error{Plugin: b.Provider, Call: "Plan", Err: fmt.Errorf("invalid patch %d: %w", i+1, err)}
		}
	}
	if len(a.conflicts) > 0 {
		return append(diags, a.conflictDiagnostic(b)), nil
	}
	for _, path := range a.kept {
		plan.Warnings = append(plan.Warnings, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Kept your edited " + path,
			Detail: fmt.Sprintf("%s was changed after plugin %s generated it, so fastman keeps your version and does not update it. "+
				"To take the generated version, run with --force, or delete the file and run fastman apply.", path, b.Provider),
		})
	}
	plan.Plugins = append(plan.Plugins, PluginInfo{Name: desc.GetName(), Version: desc.GetVersion(), Block: b.Title(), Files: a.files})
	return diags, nil
}

func (e *Engine) unknownType(b *manifest.Block) *hcl.Diagnostic {
	var names []string
	for name, newProvider := range e.Launcher.Builtins {
		if newProvider().Kind == b.Type {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	detail := fmt.Sprintf("No plugin provides %s. The built-in %s types are: %s.", b.Title(), b.Type, strings.Join(names, ", "))
	if s := manifest.Suggest(b.Label, names); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	}
	detail += fmt.Sprintf(" A third-party plugin is found as an executable named fastman-plugin-%s in .fastman/plugins or on PATH.", b.Label)
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Unknown %s type %q", b.Type, b.Label),
		Detail:   detail,
		Subject:  b.LabelRange.Ptr(),
	}
}

// changes compares the overlay with the disk and returns the differences in
// path order.
func changes(ov *overlay) ([]*Change, error) {
	paths := make([]string, 0, len(ov.files))
	for p := range ov.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var out []*Change
	for _, p := range paths {
		f := ov.files[p]
		old, exists, err := ov.readDisk(p)
		if err != nil {
			return nil, err
		}
		if exists == f.exists && bytes.Equal(old, f.content) {
			continue
		}
		out = append(out, &Change{Path: p, Old: old, New: f.content, OldExists: exists, NewExists: f.exists, Executable: f.executable})
	}
	return out, nil
}

// Describe returns the description of the plugin that serves blocks of type
// kind labeled name, starting the plugin unless it is running.
func (e *Engine) Describe(ctx context.Context, kind, name string) (*pluginpb.DescribeResponse, error) {
	b := &manifest.Block{Type: kind, Label: name, Provider: name}
	if _, err := e.Launcher.Command(name); errors.Is(err, host.ErrNotFound) {
		d := e.unknownType(b)
		return nil, fmt.Errorf("%s. %s", d.Summary, d.Detail)
	}
	p, err := e.plugin(name)
	if err != nil {
		return nil, err
	}
	desc, err := p.Describe(ctx)
	if err != nil {
		return nil, err
	}
	if desc.GetKind() != kind {
		return nil, &host.Error{Plugin: name, Call: "Describe", Err: fmt.Errorf(
			"the plugin serves %s blocks, not %s; install the right plugin", desc.GetKind(), kind)}
	}
	return desc, nil
}
