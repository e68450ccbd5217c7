package gitx

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Ignored returns those of paths (slash-separated, relative to the work
// tree top) that gitignore rules exclude, in the order of paths and without
// duplicates. The rules come from core.excludesFile (by default
// $XDG_CONFIG_HOME/git/ignore), .git/info/exclude, and the .gitignore file
// of the top directory and of each directory on a path. No other file is
// read. As in git, a path below an excluded directory is excluded even if a
// later rule negates it, and the .gitignore files inside an excluded
// directory are not read.
//
// Like `git check-ignore --no-index`, the result does not depend on
// whether a path is tracked. A path that is a directory on disk is matched
// as a directory, so that rules ending in "/" apply to it.
func (r *Repo) Ignored(paths []string) ([]string, error) {
	clean, err := cleanPaths(paths)
	if err != nil {
		return nil, err
	}
	matcher := r.newIgnoreMatcher()
	var ignored []string
	for _, p := range clean {
		info, err := os.Lstat(filepath.Join(r.root, filepath.FromSlash(p)))
		if err != nil && !isNotExist(err) {
			return nil, fmt.Errorf("check ignore rules for %s: %w", p, err)
		}
		isDir := err == nil && info.IsDir()
		match, err := matcher.match(p, isDir)
		if err != nil {
			return nil, err
		}
		if match {
			ignored = append(ignored, p)
		}
	}
	return ignored, nil
}

// ignorePattern is one line of an ignore file.
type ignorePattern struct {
	// glob is the pattern without "!", a trailing "/" or a leading "/".
	glob string
	// base is the directory of the .gitignore that contains the pattern,
	// "" or ending in "/". The pattern applies only below it.
	base string
	// negative patterns ("!glob") re-include what earlier ones excluded.
	negative bool
	// mustBeDir patterns ("glob/") match only directories.
	mustBeDir bool
	// basenameOnly patterns contain no "/" and match the last path
	// component at any depth below base.
	basenameOnly bool
}

func (pt *ignorePattern) matches(p string, isDir, fold bool) bool {
	if pt.mustBeDir && !isDir {
		return false
	}
	if len(p) < len(pt.base) {
		return false
	}
	if prefix := p[:len(pt.base)]; prefix != pt.base && !(fold && strings.EqualFold(prefix, pt.base)) {
		return false
	}
	relative := p[len(pt.base):]
	if pt.basenameOnly {
		relative = relative[strings.LastIndexByte(relative, '/')+1:]
	}
	return wildmatch(pt.glob, relative, fold)
}

// parseIgnoreFile parses the content of an ignore file whose patterns
// apply below base.
func parseIgnoreFile(content []byte, base string) []ignorePattern {
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	var patterns []ignorePattern
	for _, line := range strings.Split(string(content), "\n") {
		if pattern, ok := parseIgnoreLine(line, base); ok {
			patterns = append(patterns, pattern)
		}
	}
	return patterns
}

// parseIgnoreLine follows gitignore(5). Blank lines and lines starting
// with "#" are skipped, trailing spaces are removed unless escaped with
// "\", and "\#" or "\!" start a pattern with a literal "#" or "!". A
// trailing carriage return is dropped too, as git 2.39 does.
func parseIgnoreLine(line, base string) (ignorePattern, bool) {
	line = trimTrailingSpaces(strings.TrimSuffix(line, "\r"))
	if line == "" || line[0] == '#' {
		return ignorePattern{}, false
	}

	pattern := ignorePattern{base: base}
	if line[0] == '!' {
		pattern.negative = true
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		pattern.mustBeDir = true
		line = line[:len(line)-1]
	}
	// A slash anywhere but at the end anchors the pattern to base.
	pattern.basenameOnly = !strings.Contains(line, "/")
	line = strings.TrimPrefix(line, "/")
	if line == "" {
		return ignorePattern{}, false
	}
	pattern.glob = line
	return pattern, true
}

// trimTrailingSpaces removes trailing spaces that no backslash escapes.
func trimTrailingSpaces(line string) string {
	trailingStart := -1
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			if trailingStart < 0 {
				trailingStart = i
			}
		case '\\':
			i++
			trailingStart = -1
		default:
			trailingStart = -1
		}
	}
	if trailingStart >= 0 {
		return line[:trailingStart]
	}
	return line
}

// ignoreMatcher applies the ignore rules of a repository. It caches each
// ignore file it reads and each directory it finds excluded.
type ignoreMatcher struct {
	repo *Repo
	fold bool
	// global contains the core.excludesFile and then the info/exclude
	// patterns, once loaded is true.
	global []ignorePattern
	// loaded reports whether global has been read.
	loaded bool
	// perDirectory maps a directory ("" is the top) to the patterns of its
	// .gitignore.
	perDirectory map[string][]ignorePattern
	// excludedDirs caches whether a directory is excluded.
	excludedDirs map[string]bool
}

func (r *Repo) newIgnoreMatcher() *ignoreMatcher {
	return &ignoreMatcher{
		repo:         r,
		fold:         r.config.boolValue("core.ignorecase", false),
		perDirectory: make(map[string][]ignorePattern),
		excludedDirs: make(map[string]bool),
	}
}

// match reports whether p is excluded. Later pattern lists take
// precedence: core.excludesFile, info/exclude, then .gitignore files from
// the top down, and within a list the last matching pattern decides.
func (m *ignoreMatcher) match(p string, isDir bool) (bool, error) {
	if err := m.loadGlobal(); err != nil {
		return false, err
	}
	top, err := m.directoryPatterns("")
	if err != nil {
		return false, err
	}
	lists := [][]ignorePattern{m.global, top}

	for _, dir := range parentDirs(p) {
		excluded, known := m.excludedDirs[dir]
		if !known {
			excluded = m.lastMatch(lists, dir, true)
			m.excludedDirs[dir] = excluded
		}
		if excluded {
			return true, nil
		}
		patterns, err := m.directoryPatterns(dir)
		if err != nil {
			return false, err
		}
		lists = append(lists, patterns)
	}
	return m.lastMatch(lists, p, isDir), nil
}

func (m *ignoreMatcher) lastMatch(lists [][]ignorePattern, p string, isDir bool) bool {
	for i := len(lists) - 1; i >= 0; i-- {
		for j := len(lists[i]) - 1; j >= 0; j-- {
			if lists[i][j].matches(p, isDir, m.fold) {
				return !lists[i][j].negative
			}
		}
	}
	return false
}

func (m *ignoreMatcher) loadGlobal() error {
	if m.loaded {
		return nil
	}
	if file := m.excludesFile(); file != "" {
		content, err := readOptionalFile(file, true)
		if err != nil {
			return err
		}
		m.global = append(m.global, parseIgnoreFile(content, "")...)
	}
	content, err := readOptionalFile(filepath.Join(m.repo.commonDir, "info", "exclude"), true)
	if err != nil {
		return err
	}
	m.global = append(m.global, parseIgnoreFile(content, "")...)
	m.loaded = true
	return nil
}

// excludesFile returns the path of core.excludesFile, with a leading "~/"
// expanded, or git's default $XDG_CONFIG_HOME/git/ignore (by default
// ~/.config/git/ignore). A relative path is taken from the work tree top.
func (m *ignoreMatcher) excludesFile() string {
	file, _ := m.repo.config.get("core.excludesfile")
	home, _ := os.UserHomeDir()
	switch {
	case file == "":
		if xdg := os.Getenv("XDG_CONFIG_HOME"); xdg != "" {
			return filepath.Join(xdg, "git", "ignore")
		}
		if home == "" {
			return ""
		}
		return filepath.Join(home, ".config", "git", "ignore")
	case strings.HasPrefix(file, "~/"):
		if home == "" {
			return ""
		}
		return filepath.Join(home, file[2:])
	case !filepath.IsAbs(file):
		return filepath.Join(m.repo.root, file)
	}
	return file
}

// directoryPatterns returns the patterns of dir/.gitignore. Git 2.32 and
// later do not follow a .gitignore that is a symbolic link inside the work
// tree, so such a file counts as absent.
func (m *ignoreMatcher) directoryPatterns(dir string) ([]ignorePattern, error) {
	if patterns, ok := m.perDirectory[dir]; ok {
		return patterns, nil
	}
	file := filepath.Join(m.repo.root, filepath.FromSlash(dir), ".gitignore")
	content, err := readOptionalFile(file, false)
	if err != nil {
		return nil, err
	}
	base := ""
	if dir != "" {
		base = dir + "/"
	}
	patterns := parseIgnoreFile(content, base)
	m.perDirectory[dir] = patterns
	return patterns, nil
}

// readOptionalFile returns the content of file, or nil when it is missing,
// is a directory or, unless followSymlink, is a symbolic link.
func readOptionalFile(file string, followSymlink bool) ([]byte, error) {
	info, err := os.Lstat(file)
	if info != nil && info.Mode()&fs.ModeSymlink != 0 {
		if !followSymlink {
			return nil, nil
		}
		info, err = os.Stat(file)
	}
	if isNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if info.IsDir() {
		return nil, nil
	}
	content, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	return content, nil
}
