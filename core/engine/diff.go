package engine

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	udiff "github.com/aymanbagabas/go-udiff"
)

// secretKeyRE matches env keys that name a secret, such as API_KEY or
// STRIPE_SECRET, so a user's own credentials are masked even when no plugin
// declared them.
var secretKeyRE = regexp.MustCompile(`(?i)(^|_)(SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIALS?|DSN)$`)

// Mask is shown in place of a secret value.
const Mask = "********"

// WriteDiff writes the plan as unified diffs, with secret values in env
// files masked.
func (p *Plan) WriteDiff(w io.Writer) error {
	for _, c := range p.Changes {
		if err := p.WriteChangeDiff(w, c); err != nil {
			return err
		}
	}
	return nil
}

// WriteChangeDiff writes one change of the plan as a unified diff, with
// secret values in env files masked.
func (p *Plan) WriteChangeDiff(w io.Writer, c *Change) error {
	oldLabel, newLabel := "a/"+c.Path, "b/"+c.Path
	if !c.OldExists {
		oldLabel = "/dev/null"
	}
	if !c.NewExists {
		newLabel = "/dev/null"
	}
	if isBinary(c.Old) || isBinary(c.New) {
		_, err := fmt.Fprintf(w, "--- %s\n+++ %s\nBinary file changed\n", oldLabel, newLabel)
		return err
	}
	old, updated := string(c.Old), string(c.New)
	if isEnvFile(c.Path) {
		all := !IsExampleEnvFile(c.Path)
		old, updated = p.maskEnv(old, all), p.maskEnv(updated, all)
	}
	d := udiff.Unified(oldLabel, newLabel, old, updated)
	if d == "" {
		// Only secret values changed, which masking hides.
		d = fmt.Sprintf("--- %s\n+++ %s\n@@ secret values changed @@\n", oldLabel, newLabel)
	}
	_, err := io.WriteString(w, d)
	return err
}

// maskEnv replaces the values of secret variables in env file text, or of
// every variable when all is set: local env files can hold credentials
// under any name, such as a password inside DATABASE_URL.
func (p *Plan) maskEnv(text string, all bool) string {
	lines := strings.SplitAfter(text, "\n")
	for i, line := range lines {
		body := strings.TrimLeft(line, " \t")
		body = strings.TrimPrefix(body, "export ")
		name, value, ok := strings.Cut(body, "=")
		name = strings.TrimSpace(name)
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		if !all && !p.SecretEnv[name] && !secretKeyRE.MatchString(name) {
			continue
		}
		if strings.TrimSpace(value) == "" {
			continue
		}
		end := ""
		if strings.HasSuffix(line, "\n") {
			end = "\n"
		}
		lines[i] = line[:len(line)-len(value)] + Mask + end
	}
	return strings.Join(lines, "")
}

func isBinary(b []byte) bool {
	return bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b)
}

// Summary returns one line per change: a sign (+ created, ~ modified,
// - deleted) and the path.
func (p *Plan) Summary() string {
	signs := map[string]string{"create": "+", "update": "~", "delete": "-"}
	var b strings.Builder
	for _, c := range p.Changes {
		fmt.Fprintf(&b, "  %s %s\n", signs[c.Action()], c.Path)
	}
	return b.String()
}

// Action returns "create", "update" or "delete".
func (c *Change) Action() string {
	switch {
	case !c.OldExists:
		return "create"
	case !c.NewExists:
		return "delete"
	}
	return "update"
}

// Counts returns the number of files the plan creates, changes and deletes,
// as "N to create, N to change, N to delete".
func (p *Plan) Counts() string {
	counts := map[string]int{}
	for _, c := range p.Changes {
		counts[c.Action()]++
	}
	return fmt.Sprintf("%d to create, %d to change, %d to delete", counts["create"], counts["update"], counts["delete"])
}
