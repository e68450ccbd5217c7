package cli

import (
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/fastman-cli/fastman/core/engine"
)

// jsonFormatVersion is the version of the JSON documents printed by --json.
// It changes only when a field is removed or changes meaning.
const jsonFormatVersion = "1"

type jsonPlan struct {
	FormatVersion string              `json:"format_version"`
	Changes       []jsonChange        `json:"changes"`
	Plugins       []engine.PluginInfo `json:"plugins"`
	Diagnostics   []jsonDiagnostic    `json:"diagnostics"`
	Error         string              `json:"error,omitempty"`
}

type jsonChange struct {
	Path string `json:"path"`
	// Action is "create", "update" or "delete".
	Action string `json:"action"`
	// Diff is the unified diff of the change, with secrets masked.
	Diff string `json:"diff"`
}

type jsonDiagnostic struct {
	Severity string     `json:"severity"`
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail,omitempty"`
	Range    *jsonRange `json:"range,omitempty"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// writePlanJSON prints a plan, or the error that stopped it, as one JSON
// document.
func writePlanJSON(w io.Writer, plan *engine.Plan, planErr error) error {
	doc := jsonPlan{FormatVersion: jsonFormatVersion, Changes: []jsonChange{}, Plugins: []engine.PluginInfo{}, Diagnostics: []jsonDiagnostic{}}
	var diags *engine.DiagnosticsError
	switch {
	case errors.As(planErr, &diags):
		doc.Diagnostics = toJSONDiagnostics(diags.Diags)
	case planErr != nil:
		doc.Error = planErr.Error()
	}
	if plan != nil {
		doc.Diagnostics = append(doc.Diagnostics, toJSONDiagnostics(plan.Warnings)...)
		doc.Plugins = append(doc.Plugins, plan.Plugins...)
		for _, c := range plan.Changes {
			var diff strings.Builder
			if err := plan.WriteChangeDiff(&diff, c); err != nil {
				return err
			}
			doc.Changes = append(doc.Changes, jsonChange{Path: c.Path, Action: c.Action(), Diff: diff.String()})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func toJSONDiagnostics(diags hcl.Diagnostics) []jsonDiagnostic {
	out := make([]jsonDiagnostic, 0, len(diags))
	for _, d := range diags {
		jd := jsonDiagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
		}
		if s := d.Subject; s != nil {
			jd.Range = &jsonRange{
				Filename: s.Filename,
				Start:    jsonPos{Line: s.Start.Line, Column: s.Start.Column, Byte: s.Start.Byte},
				End:      jsonPos{Line: s.End.Line, Column: s.End.Column, Byte: s.End.Byte},
			}
		}
		out = append(out, jd)
	}
	return out
}
