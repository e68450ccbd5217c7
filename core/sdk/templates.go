package sdk

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"text/template"
)

// TemplateSuffix marks template files; it is dropped from the output path.
const TemplateSuffix = ".tmpl"

// WriteTemplates adds a WriteFile patch for every file under root in fsys,
// at the same path relative to root. Files ending in TemplateSuffix are
// rendered as text/template with the delimiters [[ and ]], which do not
// clash with Python's braces; other files are copied as they are. A path
// element starting with "dot-" is written with a leading dot instead, so
// that template trees can hold files such as .gitignore without them
// taking effect in the plugin's own repository.
func (p *Plan) WriteTemplates(fsys fs.FS, root string, data any) error {
	return p.writeTemplates(fsys, root, data, false)
}

// WriteTemplatesIfMissing is WriteTemplates for files the user owns once
// they exist: each is written only when it is missing.
func (p *Plan) WriteTemplatesIfMissing(fsys fs.FS, root string, data any) error {
	return p.writeTemplates(fsys, root, data, true)
}

func (p *Plan) writeTemplates(fsys fs.FS, root string, data any, ifMissing bool) error {
	return fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		out := strings.TrimPrefix(strings.TrimPrefix(name, root), "/")
		if strings.HasSuffix(out, TemplateSuffix) {
			out = strings.TrimSuffix(out, TemplateSuffix)
			content, err = render(name, content, data)
			if err != nil {
				return err
			}
		}
		out = undot(path.Clean(out))
		if ifMissing {
			p.WriteFileIfMissing(out, content)
		} else {
			p.WriteFile(out, content)
		}
		return nil
	})
}

func render(name string, text []byte, data any) ([]byte, error) {
	t, err := template.New(name).Delims("[[", "]]").Option("missingkey=error").Parse(string(text))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

func undot(p string) string {
	elems := strings.Split(p, "/")
	for i, e := range elems {
		if rest, ok := strings.CutPrefix(e, "dot-"); ok {
			elems[i] = "." + rest
		}
	}
	return strings.Join(elems, "/")
}

// ParseRequirements splits a requirements list, one PEP 508 requirement a
// line, skipping blank lines and # comments.
func ParseRequirements(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}
