package gitx

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	formatconfig "github.com/go-git/go-git/v5/plumbing/format/config"
)

// gitConfig contains the merged values of the system, global and repository
// configuration files, keyed by lower-case "section.key". Options inside
// subsections ([remote "origin"], [includeIf ...]) are not kept, because
// nothing here reads them.
//
// NOTE: include and includeIf directives are not followed, so identities
// that live only in an included file are not found.
type gitConfig struct {
	values map[string]string
}

// loadConfig reads the configuration files in git's order of precedence,
// later files overriding earlier ones: system, global, then the
// repository's own file in commonDir.
func loadConfig(commonDir string) (*gitConfig, error) {
	c := &gitConfig{values: make(map[string]string)}
	files := append(systemConfigPaths(), globalConfigPaths()...)
	files = append(files, filepath.Join(commonDir, "config"))
	for _, file := range files {
		if err := c.readFile(file); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// systemConfigPaths follows git: GIT_CONFIG_NOSYSTEM skips the file and
// GIT_CONFIG_SYSTEM replaces its default location.
func systemConfigPaths() []string {
	if isTrue(os.Getenv("GIT_CONFIG_NOSYSTEM")) {
		return nil
	}
	if p := os.Getenv("GIT_CONFIG_SYSTEM"); p != "" {
		return []string{p}
	}
	return []string{"/etc/gitconfig"}
}

// globalConfigPaths follows git: GIT_CONFIG_GLOBAL replaces both default
// files, and otherwise ~/.gitconfig overrides the XDG file.
func globalConfigPaths() []string {
	if p, ok := os.LookupEnv("GIT_CONFIG_GLOBAL"); ok {
		if p == "" {
			return nil
		}
		return []string{p}
	}

	var files []string
	if xdg := os.Getenv("XDG_CONFIG_HOME"); xdg != "" {
		files = append(files, filepath.Join(xdg, "git", "config"))
	} else if home, err := os.UserHomeDir(); err == nil {
		files = append(files, filepath.Join(home, ".config", "git", "config"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		files = append(files, filepath.Join(home, ".gitconfig"))
	}
	return files
}

func (c *gitConfig) readFile(file string) error {
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read git config %s: %w", file, err)
	}
	defer f.Close()

	parsed := formatconfig.New()
	if err := formatconfig.NewDecoder(f).Decode(parsed); err != nil {
		return fmt.Errorf("parse git config %s: %w", file, err)
	}
	for _, section := range parsed.Sections {
		name := strings.ToLower(section.Name)
		for _, option := range section.Options {
			c.values[name+"."+strings.ToLower(option.Key)] = option.Value
		}
	}
	return nil
}

// get returns the value of key ("section.key", any letter case) and whether
// it is set.
func (c *gitConfig) get(key string) (string, bool) {
	v, ok := c.values[strings.ToLower(key)]
	return v, ok
}

// boolValue returns key as a git boolean, or def when it is unset or not a
// boolean.
func (c *gitConfig) boolValue(key string, def bool) bool {
	v, ok := c.get(key)
	if !ok {
		return def
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	// The decoder returns "" both for a key without "= value", which git
	// reads as true, and for "key =", which git reads as false. Both are
	// taken as true here.
	case "", "true", "yes", "on", "1":
		return true
	case "false", "no", "off", "0":
		return false
	}
	return def
}

// isTrue reports whether an environment variable holds a git true value.
func isTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1":
		return true
	}
	return false
}
