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
		if prev, ok := locks[b.Labels[0]]; ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate plugin block",
				Detail: fmt.Sprintf("Plugin %s is recorded twice (the first at line %d), as a merge that kept both sides leaves it. "+
					"Keep one block, or delete %s and run `fastman apply` to write it again.", b.Labels[0], prev.rng.Start.Line, LockFileName),
				Subject: b.DefRange.Ptr(),
			})
			continue
		}
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

// removedPlugins returns the lock entries of plugins that the manifest no
// longer uses. They stay in the lock file, so that the hashes of the files
// they generated still mark those files as generated if the block returns.
func removedPlugins(locks map[string]lockEntry, plugins []PluginInfo) []PluginInfo {
	used := map[string]bool{}
	for _, p := range plugins {
		used[p.Name] = true
	}
	var removed []PluginInfo
	for name, entry := range locks {
		if !used[name] {
			removed = append(removed, PluginInfo{Name: name, Version: entry.version, Files: entry.files})
		}
	}
	sort.Slice(removed, func(i, j int) bool { return removed[i].Name < removed[j].Name })
	return removed
}

// removedWarnings warns about each removed plugin whose generated files
// still exist: fastman does not remove what a plugin added.
func removedWarnings(ov *overlay, removed []PluginInfo) (hcl.Diagnostics, error) {
	var diags hcl.Diagnostics
	for _, p := range removed {
		var files []string
		for path := range p.Files {
			if _, ok, err := ov.ReadFile(path); err != nil {
				return nil, err
			} else if ok {
				files = append(files, path)
			}
		}
		if len(files) == 0 {
			continue
		}
		sort.Strings(files)
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Plugin " + p.Name + " was removed",
			Detail: fmt.Sprintf("fastman.hcl no longer uses plugin %s, but fastman does not remove what a plugin added. "+
				"Delete its files by hand if you no longer need them: %s; also remove its imports, routers and settings.",
				p.Name, strings.Join(files, ", ")),
		})
	}
	return diags, nil
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
