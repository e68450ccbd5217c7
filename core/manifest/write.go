package manifest

import (
	"bytes"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

// New returns the manifest of a new project; an empty description is left
// out so the plugin's default applies.
func New(name, description string) []byte {
	var buf bytes.Buffer
	buf.WriteString("# The features of this project. Edit this file, then run `fastman plan`\n")
	buf.WriteString("# to see the changes and `fastman apply` to make and commit them.\n\n")
	blk := hclwrite.NewBlock(BlockProject, []string{name})
	if description != "" {
		blk.Body().SetAttributeValue("description", cty.StringVal(description))
	}
	f := hclwrite.NewEmptyFile()
	f.Body().AppendBlock(blk)
	buf.Write(hclwrite.Format(f.Bytes()))
	return buf.Bytes()
}

// AppendBlock returns src with a new block of the given type and label
// appended, its options written as attributes in the order of names. The
// bytes of src are kept as they are, comments and layout included; only the
// new block is formatted.
func AppendBlock(src []byte, filename, typ, label string, names []string, options map[string]*pluginpb.Value) ([]byte, error) {
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return nil, diags
	}
	blk := hclwrite.NewBlock(typ, []string{label})
	for _, name := range names {
		v, ok := options[name]
		if !ok {
			continue
		}
		cv, err := ToCty(v)
		if err != nil {
			return nil, fmt.Errorf("option %s: %w", name, err)
		}
		blk.Body().SetAttributeValue(name, cv)
	}
	f := hclwrite.NewEmptyFile()
	f.Body().AppendBlock(blk)

	// The new block follows the file's line endings.
	eol := []byte("\n")
	if bytes.Contains(src, []byte("\r\n")) {
		eol = []byte("\r\n")
	}
	out := bytes.Clone(src)
	if len(out) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, eol...)
	}
	if len(bytes.TrimSpace(out)) > 0 && !bytes.HasSuffix(out, bytes.Repeat(eol, 2)) && !bytes.HasSuffix(out, []byte("\n\n")) {
		out = append(out, eol...)
	}
	out = append(out, bytes.ReplaceAll(hclwrite.Format(f.Bytes()), []byte("\n"), eol)...)
	if _, diags := hclsyntax.ParseConfig(out, filename, hcl.InitialPos); diags.HasErrors() {
		return nil, fmt.Errorf("appending %s %q produced an invalid manifest: %w", typ, label, diags)
	}
	return out, nil
}

// ToCty converts a protocol value to its HCL value.
func ToCty(v *pluginpb.Value) (cty.Value, error) {
	switch k := v.GetKind().(type) {
	case *pluginpb.Value_String_:
		return cty.StringVal(k.String_), nil
	case *pluginpb.Value_Int:
		return cty.NumberIntVal(k.Int), nil
	case *pluginpb.Value_Bool:
		return cty.BoolVal(k.Bool), nil
	case *pluginpb.Value_StringList:
		if len(k.StringList.GetItems()) == 0 {
			return cty.ListValEmpty(cty.String), nil
		}
		items := make([]cty.Value, 0, len(k.StringList.GetItems()))
		for _, s := range k.StringList.GetItems() {
			items = append(items, cty.StringVal(s))
		}
		return cty.ListVal(items), nil
	}
	return cty.NilVal, fmt.Errorf("value has no type")
}
