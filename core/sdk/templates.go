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
// clash with Python's braces; other files are copied as they are. Paths in
// ifMissing (output paths) are written only when absent, for files the user
// owns once created.
func (p *Plan) WriteTemplates(fsys fs.FS, root string, data any, ifMissing ...string) error {
	owned := map[string]bool{}
	for _, m := range ifMissing {
		owned[m] = true
	}
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
		out = path.Clean(out)
		if owned[out] {
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
