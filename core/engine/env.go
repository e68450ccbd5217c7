package engine

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/fastman-cli/fastman/core/edit/envfile"
)

// LocalEnvFile is created when a plan sets variables and the project has no
// local env file yet. The base project's .gitignore keeps it out of git.
const LocalEnvFile = ".env"

// secretBytes is the entropy of a generated secret: 48 bytes, 64 characters
// of URL-safe base64.
const secretBytes = 48

type envVar struct {
	name, value, placeholder string
	secret                   bool
	plugin                   string
}

// envPlan collects the variables all plugins set, in first-set order.
type envPlan struct {
	vars []envVar
}

func (e *envPlan) add(v envVar) error {
	for _, prev := range e.vars {
		if prev.name != v.name {
			continue
		}
		if prev.secret != v.secret || prev.value != v.value || prev.placeholder != v.placeholder {
			return fmt.Errorf("sets %s differently from plugin %s; the two plugins conflict, so remove one of their blocks", v.name, prev.plugin)
		}
		return nil
	}
	e.vars = append(e.vars, v)
	return nil
}

func (e *envPlan) secretNames() map[string]bool {
	out := map[string]bool{}
	for _, v := range e.vars {
		if v.secret {
			out[v.name] = true
		}
	}
	return out
}

// isEnvFile reports whether p is an env file at the project root: .env or
// .env.SOMETHING.
func isEnvFile(p string) bool {
	return !strings.Contains(p, "/") && (p == ".env" || strings.HasPrefix(p, ".env."))
}

// IsExampleEnvFile reports whether p is an env file meant to be committed,
// which gets placeholders instead of real values.
func IsExampleEnvFile(p string) bool {
	if !isEnvFile(p) {
		return false
	}
	switch strings.TrimPrefix(p, ".env.") {
	case "example", "sample", "template", "dist", "defaults":
		return true
	}
	return false
}

// apply sets every collected variable in every env file at the project
// root: example files get the placeholder, local files the value, and a
// local file keeps a secret it already has.
func (e *envPlan) apply(ov *overlay, random io.Reader) error {
	if len(e.vars) == 0 {
		return nil
	}
	entries, _, err := ov.ListDir(".")
	if err != nil {
		return err
	}
	var files []string
	hasLocal := false
	for _, ent := range entries {
		if !ent.GetIsDir() && isEnvFile(ent.GetName()) {
			files = append(files, ent.GetName())
			hasLocal = hasLocal || !IsExampleEnvFile(ent.GetName())
		}
	}
	if !hasLocal {
		files = append(files, LocalEnvFile)
	}
	defaults, err := e.committedDefaults(ov, files)
	if err != nil {
		return err
	}
	for _, name := range files {
		src, _, err := ov.ReadFile(name)
		if err != nil {
			return err
		}
		if err := envfile.Validate(src); err != nil {
			var syntax *envfile.SyntaxError
			if !IsExampleEnvFile(name) && errors.As(err, &syntax) {
				// The parser's message quotes the line, which can hold a
				// secret, so only the line number is shown.
				return fmt.Errorf("%s: line %d is not a valid NAME=value assignment (not shown, as it may hold a secret); fix it so fastman can set variables in the file", name, syntax.Line)
			}
			return fmt.Errorf("%s: %w; fix the line so fastman can set variables in it", name, err)
		}
		out := src
		for _, v := range e.vars {
			value, err := v.valueFor(name, out, defaults[v.name], random)
			if err != nil {
				return err
			}
			if out, err = envfile.Set(out, v.name, value); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		if string(out) != string(src) || src == nil {
			ov.write(name, out, false)
		}
	}
	return nil
}

// committedDefaults returns the values that the example env files on disk
// hold, before this plan: what fastman last wrote for each variable.
func (e *envPlan) committedDefaults(ov *overlay, files []string) (map[string]string, error) {
	defaults := map[string]string{}
	for _, name := range files {
		if !IsExampleEnvFile(name) {
			continue
		}
		src, ok, err := ov.readDisk(name)
		if err != nil || !ok {
			return defaults, err
		}
		for _, v := range e.vars {
			if value, ok := envfile.Get(src, v.name); ok {
				defaults[v.name] = value
			}
		}
	}
	return defaults, nil
}

// valueFor returns the value of v in the env file named file. Example files
// get the placeholder. A local file keeps a value the user set: a secret
// once set, and any other value that differs from the committed default,
// so only values the user never changed follow the manifest.
//
// NOTE: "changed by the user" is judged against the example file on disk.
// After a branch switch that changes the example, a value fastman wrote on
// the other branch counts as the user's and stays.
func (v envVar) valueFor(file string, src []byte, committedDefault string, random io.Reader) (string, error) {
	if IsExampleEnvFile(file) {
		return v.placeholder, nil
	}
	cur, ok := envfile.Get(src, v.name)
	if !v.secret {
		if ok && cur != "" && cur != committedDefault {
			return cur, nil
		}
		return v.value, nil
	}
	if ok && cur != "" {
		return cur, nil
	}
	buf := make([]byte, secretBytes)
	if _, err := io.ReadFull(random, buf); err != nil {
		return "", fmt.Errorf("generate %s: %w", v.name, err)
	}
	return base64.RawURLEncoding.EncodeToString(buf), nil
}
