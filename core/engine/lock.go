package engine

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// LockFileName is the file in which fastman records the version of each
// plugin that planned the project. A machine with other plugin versions
// then gets an error instead of silently generating other files.
const LockFileName = "fastman.lock.hcl"

const lockHeader = "# This file is maintained by fastman: it records the plugin versions that\n" +
	"# generated this project. Commit it, and do not edit it by hand.\n"

// lockEntry is one plugin of the lock file.
type lockEntry struct {
	version string
	rng     hcl.Range
	// files maps generated paths to the hashes of their generated content.
	files map[string]string
}

var lockSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "plugin", LabelNames: []string{"name"}}}}
var lockPluginSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "version", Required: true},
	{Name: "files"},
}}

// parseLock reads the lock file; a missing file gives an empty lock.
func parseLock(src []byte) (map[string]lockEntry, hcl.Diagnostics) {
	locks := map[string]lockEntry{}
	if src == nil {
		return locks, nil
	}
	file, diags := hclsyntax.ParseConfig(src, LockFileName, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	content, diags := file.Body.Content(lockSchema)
	for _, b := range content.Blocks {
		body, d := b.Body.Content(lockPluginSchema)
		diags = append(diags, d...)
		attr, ok := body.Attributes["version"]
		if !ok {
			continue
		}
		var version string
		v, d := attr.Expr.Value(nil)
		diags = append(diags, d...)
		if !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			version = v.AsString()
		} else if !d.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid plugin version",
				Detail:   "The version must be a string. Delete " + LockFileName + " and run `fastman apply` to write it again.",
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
		files, d := decodeFiles(body.Attributes["files"])
		diags = append(diags, d...)
		locks[b.Labels[0]] = lockEntry{version: version, rng: attr.Expr.Range(), files: files}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return locks, nil
}

// decodeFiles reads the optional files map of a plugin block.
func decodeFiles(attr *hcl.Attribute) (map[string]string, hcl.Diagnostics) {
	files := map[string]string{}
	if attr == nil {
		return files, nil
	}
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return nil, diags
	}
	if !v.Type().IsObjectType() && !v.Type().IsMapType() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid files map",
			Detail:   "files must map paths to hashes. Delete " + LockFileName + " and run `fastman apply` to write it again.",
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	for path, hash := range v.AsValueMap() {
		if hash.Type() != cty.String || hash.IsNull() {
			return nil, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Invalid file hash",
				Detail:   "The hash of " + path + " must be a string. Delete " + LockFileName + " and run `fastman apply` to write it again.",
				Subject:  attr.Expr.Range().Ptr(),
			}}
		}
		files[path] = hash.AsString()
	}
	return files, nil
}

// removedPlugins warns about plugins that the lock file records but the
// manifest no longer uses: fastman does not remove what they generated.
func removedPlugins(locks map[string]lockEntry, plugins []PluginInfo) hcl.Diagnostics {
	used := map[string]bool{}
	for _, p := range plugins {
		used[p.Name] = true
	}
	var names []string
	for name := range locks {
		if !used[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var diags hcl.Diagnostics
	for _, name := range names {
		var files []string
		for path := range locks[name].files {
			files = append(files, path)
		}
		sort.Strings(files)
		detail := fmt.Sprintf("fastman.hcl no longer uses plugin %s, but fastman does not remove what a plugin added.", name)
		if len(files) > 0 {
			detail += fmt.Sprintf(" Delete its files by hand if you no longer need them: %s; also remove its imports, routers and settings.", strings.Join(files, ", "))
		}
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Plugin " + name + " was removed", Detail: detail})
	}
	return diags
}

// checkLock returns an error diagnostic when the lock records another
// version of the plugin than the one that is running.
func checkLock(locks map[string]lockEntry, name, version string) *hcl.Diagnostic {
	entry, ok := locks[name]
	if !ok || entry.version == version {
		return nil
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Plugin version differs from the lock file",
		Detail: fmt.Sprintf("Plugin %s is version %s, but %s records version %s, so the generated files may differ from the committed ones. "+
			"Install plugin %s %s, or run with --upgrade to plan with %s and record it.",
			name, version, LockFileName, entry.version, name, entry.version, version),
		Subject: entry.rng.Ptr(),
	}
}

// renderLock returns the lock file for the plugins, sorted by name.
func renderLock(plugins []PluginInfo) []byte {
	sorted := append([]PluginInfo(nil), plugins...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	f := hclwrite.NewEmptyFile()
	for i, p := range sorted {
		if i > 0 {
			f.Body().AppendNewline()
		}
		blk := f.Body().AppendNewBlock("plugin", []string{p.Name})
		blk.Body().SetAttributeValue("version", cty.StringVal(p.Version))
		if len(p.Files) > 0 {
			files := map[string]cty.Value{}
			for path, hash := range p.Files {
				files[path] = cty.StringVal(hash)
			}
			blk.Body().SetAttributeValue("files", cty.MapVal(files))
		}
	}
	var buf bytes.Buffer
	buf.WriteString(lockHeader)
	buf.WriteString("\n")
	buf.Write(hclwrite.Format(f.Bytes()))
	return buf.Bytes()
}
