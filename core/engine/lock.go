package engine

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// LockFileName is the file in which fastman records the version of each
// plugin that planned the project, so that another machine with other
// plugin versions is told instead of silently generating other files.
const LockFileName = "fastman.lock.hcl"

const lockHeader = "# This file is maintained by fastman: it records the plugin versions that\n" +
	"# generated this project. Commit it, and do not edit it by hand.\n"

// lockEntry is one plugin of the lock file.
type lockEntry struct {
	version string
	rng     hcl.Range
}

var lockSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "plugin", LabelNames: []string{"name"}}}}
var lockPluginSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "version", Required: true}}}

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
		locks[b.Labels[0]] = lockEntry{version: version, rng: attr.Expr.Range()}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return locks, nil
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
	}
	var buf bytes.Buffer
	buf.WriteString(lockHeader)
	buf.WriteString("\n")
	buf.Write(hclwrite.Format(f.Bytes()))
	return buf.Bytes()
}
