package manifest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

// Options decodes the block's attributes against a plugin's option schema.
// Omitted options take their defaults; unknown attributes, nested blocks,
// values of the wrong type and values outside the allowed set or range are
// errors pointing at the offending text.
func (b *Block) Options(schema []*pluginpb.OptionSchema) (map[string]*pluginpb.Value, hcl.Diagnostics) {
	bodySchema := &hcl.BodySchema{}
	for _, o := range schema {
		bodySchema.Attributes = append(bodySchema.Attributes, hcl.AttributeSchema{Name: o.GetName(), Required: o.GetDefault() == nil})
	}
	content, diags := b.Body.Content(bodySchema)
	for _, d := range diags {
		if d.Summary == "Unsupported argument" || d.Summary == "Unsupported block type" {
			d.Detail = strings.TrimSpace(d.Detail + " " + b.supportedOptions(schema))
		}
	}
	values := map[string]*pluginpb.Value{}
	for _, o := range schema {
		attr, ok := content.Attributes[o.GetName()]
		if !ok {
			if o.GetDefault() != nil {
				values[o.GetName()] = o.GetDefault()
			}
			continue
		}
		v, vd := decodeValue(attr, o)
		diags = append(diags, vd...)
		if v != nil {
			values[o.GetName()] = v
		}
	}
	return values, diags
}

func (b *Block) supportedOptions(schema []*pluginpb.OptionSchema) string {
	if len(schema) == 0 {
		return fmt.Sprintf("%s takes no options.", b.Title())
	}
	names := make([]string, 0, len(schema))
	for _, o := range schema {
		names = append(names, o.GetName())
	}
	slices.Sort(names)
	return fmt.Sprintf("The options of %s are: %s.", b.Title(), strings.Join(names, ", "))
}

// AttributeRange returns the range of the attribute name in the block, or
// the block header's range when the attribute is not set.
func (b *Block) AttributeRange(name string) hcl.Range {
	attrs, _ := b.Body.JustAttributes()
	if a, ok := attrs[name]; ok {
		return a.Expr.Range()
	}
	return b.DefRange
}

func decodeValue(attr *hcl.Attribute, o *pluginpb.OptionSchema) (*pluginpb.Value, hcl.Diagnostics) {
	raw, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return nil, diags
	}
	bad := func(summary, detail string) (*pluginpb.Value, hcl.Diagnostics) {
		return nil, hcl.Diagnostics{{
			Severity:    hcl.DiagError,
			Summary:     summary,
			Detail:      detail,
			Subject:     attr.Expr.Range().Ptr(),
			Context:     attr.Range.Ptr(),
			Expression:  attr.Expr,
			EvalContext: nil,
		}}
	}
	if raw.IsNull() {
		return bad("Invalid value for "+o.GetName(), fmt.Sprintf("%s must not be null; remove the line to use the default.", o.GetName()))
	}
	switch o.GetType() {
	case pluginpb.ValueType_VALUE_TYPE_STRING:
		v, err := convert.Convert(raw, cty.String)
		if err != nil {
			return bad("Invalid value for "+o.GetName(), fmt.Sprintf("%s must be a string: %v.", o.GetName(), err))
		}
		s := v.AsString()
		if allowed := o.GetAllowed(); len(allowed) > 0 && !slices.Contains(allowed, s) {
			detail := fmt.Sprintf("%q is not a valid %s; use one of: %s.", s, o.GetName(), quoteAll(allowed))
			if sug := Suggest(s, allowed); sug != "" {
				detail += fmt.Sprintf(" Did you mean %q?", sug)
			}
			return bad("Invalid value for "+o.GetName(), detail)
		}
		return &pluginpb.Value{Kind: &pluginpb.Value_String_{String_: s}}, nil
	case pluginpb.ValueType_VALUE_TYPE_INT:
		if raw.Type() != cty.Number {
			return bad("Invalid value for "+o.GetName(), fmt.Sprintf("%s must be a whole number, not a %s.", o.GetName(), raw.Type().FriendlyName()))
		}
		bf := raw.AsBigFloat()
		if !bf.IsInt() {
			return bad("Invalid value for "+o.GetName(), fmt.Sprintf("%s must be a whole number, not %s.", o.GetName(), bf.Text('g', -1)))
		}
		n, acc := bf.Int64()
		if acc != 0 {
			return bad("Invalid value for "+o.GetName(), fmt.Sprintf("%s is out of range: %s does not fit in 64 bits.", o.GetName(), bf.Text('f', 0)))
		}
		if o.GetHasRange() && (n < o.GetMin() || n > o.GetMax()) {
			return bad("Invalid value for "+o.GetName(), fmt.Sprintf("%s must be between %d and %d; got %d.", o.GetName(), o.GetMin(), o.GetMax(), n))
		}
		return &pluginpb.Value{Kind: &pluginpb.Value_Int{Int: n}}, nil
	case pluginpb.ValueType_VALUE_TYPE_BOOL:
		if raw.Type() != cty.Bool {
			return bad("Invalid value for "+o.GetName(), fmt.Sprintf("%s must be true or false, not a %s.", o.GetName(), raw.Type().FriendlyName()))
		}
		return &pluginpb.Value{Kind: &pluginpb.Value_Bool{Bool: raw.True()}}, nil
	case pluginpb.ValueType_VALUE_TYPE_STRING_LIST:
		v, err := convert.Convert(raw, cty.List(cty.String))
		if err != nil {
			return bad("Invalid value for "+o.GetName(), fmt.Sprintf("%s must be a list of strings: %v.", o.GetName(), err))
		}
		var items []string
		for _, it := range v.AsValueSlice() {
			if it.IsNull() {
				return bad("Invalid value for "+o.GetName(), fmt.Sprintf("%s must not contain null.", o.GetName()))
			}
			items = append(items, it.AsString())
		}
		return &pluginpb.Value{Kind: &pluginpb.Value_StringList{StringList: &pluginpb.StringList{Items: items}}}, nil
	}
	return bad("Unsupported option type", fmt.Sprintf("the plugin declares %s with type %v, which this fastman does not know; upgrade fastman.", o.GetName(), o.GetType()))
}

func quoteAll(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
