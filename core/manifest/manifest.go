// Package manifest reads and edits fastman.hcl, the project manifest. The
// manifest is the source of truth: one project block for the base project,
// then one block per feature, such as auth "jwt". Errors are HCL
// diagnostics with the file, line and column of the offending text.
package manifest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// FileName is the manifest's name at the project root.
const FileName = "fastman.hcl"

// Block types of the manifest.
const (
	BlockProject = "project"
	BlockAuth    = "auth"
)

// BaseProvider is the plugin that plans the project block.
const BaseProvider = "base"

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: BlockProject, LabelNames: []string{"name"}},
		{Type: BlockAuth, LabelNames: []string{"type"}},
	},
}

// Manifest is a parsed fastman.hcl.
type Manifest struct {
	Filename string
	File     *hcl.File
	// Project is the project block; Parse reports an error when it is missing.
	Project *Block
	// Features are the feature blocks in file order.
	Features []*Block
}

// Block is one block of the manifest.
type Block struct {
	Type  string
	Label string
	// Provider is the name of the plugin that plans the block.
	Provider   string
	Body       hcl.Body
	DefRange   hcl.Range
	LabelRange hcl.Range
}

// Title returns the block header as written, such as `auth "jwt"`.
func (b *Block) Title() string {
	return fmt.Sprintf("%s %q", b.Type, b.Label)
}

// Parse parses src as the manifest filename.
func Parse(src []byte, filename string) (*Manifest, hcl.Diagnostics) {
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	content, diags := file.Body.Content(rootSchema)
	for _, d := range diags {
		if d.Summary == "Unsupported block type" || d.Summary == "Unsupported argument" {
			d.Detail += ` The manifest takes one project block, such as project "shop" {}, and feature blocks such as auth "jwt" {}.`
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	m := &Manifest{Filename: filename, File: file}
	seen := map[string]*Block{}
	for _, hb := range content.Blocks {
		b := &Block{
			Type:       hb.Type,
			Label:      hb.Labels[0],
			Body:       hb.Body,
			DefRange:   hb.DefRange,
			LabelRange: hb.LabelRanges[0],
		}
		switch hb.Type {
		case BlockProject:
			b.Provider = BaseProvider
			if m.Project != nil {
				diags = diags.Append(&hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate project block",
					Detail: fmt.Sprintf("A project block is already defined at %s. A manifest describes one project; remove one of the blocks.",
						m.Project.DefRange),
					Subject: hb.DefRange.Ptr(),
				})
				continue
			}
			if err := checkName(b.Label); err != nil {
				diags = diags.Append(&hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid project name",
					Detail:   err.Error(),
					Subject:  b.LabelRange.Ptr(),
				})
				continue
			}
			m.Project = b
		case BlockAuth:
			b.Provider = b.Label
			if prev, ok := seen[b.Title()]; ok {
				diags = diags.Append(&hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate " + b.Type + " block",
					Detail:   fmt.Sprintf("%s is already defined at %s; remove one of the blocks.", b.Title(), prev.DefRange),
					Subject:  hb.DefRange.Ptr(),
				})
				continue
			}
			seen[b.Title()] = b
			m.Features = append(m.Features, b)
		}
	}
	if m.Project == nil && !diags.HasErrors() {
		diags = diags.Append(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing project block",
			Detail:   `The manifest needs a project block naming the project, such as project "shop" {}.`,
			Subject:  &hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos},
		})
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return m, diags
}

// Blocks returns the project block followed by the feature blocks.
func (m *Manifest) Blocks() []*Block {
	return append([]*Block{m.Project}, m.Features...)
}

// Feature returns the block of the given type and label, or nil.
func (m *Manifest) Feature(typ, label string) *Block {
	for _, b := range m.Features {
		if b.Type == typ && b.Label == label {
			return b
		}
	}
	return nil
}

// checkName validates a project name: a Python distribution name that is
// also a safe directory name.
func checkName(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("the project name %q must have 1 to 64 characters", name)
	}
	for i, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			i > 0 && (r == '-' || r == '_' || r == '.')
		if !ok {
			return fmt.Errorf("the project name %q is invalid: use letters, digits, '-', '_' and '.', starting with a letter or digit", name)
		}
	}
	if strings.HasSuffix(name, ".") || strings.HasSuffix(name, "-") || strings.HasSuffix(name, "_") {
		return fmt.Errorf("the project name %q must end with a letter or digit", name)
	}
	return nil
}

// CheckName validates a project name for fastman create.
func CheckName(name string) error { return checkName(name) }

// Suggest returns the candidate closest to given by edit distance when it is
// close enough to be a likely typo, or "".
func Suggest(given string, candidates []string) string {
	best, bestDist := "", 3
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, c := range sorted {
		if d := levenshtein.Distance(given, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
