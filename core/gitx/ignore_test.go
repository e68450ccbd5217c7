package gitx

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// ignoreFixture lays out ignore files that exercise every rule kind:
// nested .gitignore files, negation, directory-only and anchored patterns,
// "**", bracket expressions, escapes, info/exclude and core.excludesFile.
var ignoreFixture = map[string]string{
	".gitignore": strings.Join([]string{
		"# comment",
		"*.log",
		"!important.log",
		"build/",
		"/dist",
		"docs/*.html",
		"**/cache/**",
		"tmp*",
		`\#hash`,
		`\!bang`,
		`trailing\ `,
		"[Tt]humbs.db",
		"*.py[co]",
		"data/[!a-c]*.csv",
		"logs/",
		"!logs/keep.txt",
		"generated/**/*.json",
		"**/deep",
		"spaced   ",
		"out/",
		"!out/",
		"[[:upper:]][[:digit:]].txt",
		"crlf\r",
	}, "\n") + "\n",
	"app/.gitignore":     "local_settings.py\n/secrets\n!debug.log\n*.tmp\n",
	"app/sub/.gitignore": "!*.tmp\nx/\n",
	// Inside an excluded directory, so git never reads it.
	"build/.gitignore":  "!keep.txt\n",
	".git/info/exclude": "*.swp\nscratch/\n",
	"home-excludes":     ".DS_Store\n*.bak\n",
	"other-ignore":      "z.txt\n",
}

// ignoreFixturePaths are created as files; a trailing "/" makes a
// directory.
var ignoreFixturePaths = []string{
	"debug.log", "important.log", "app/important.log",
	"build/", "build/keep.txt", "dist", "app/dist",
	"docs/index.html", "docs/api/index.html",
	"a/cache/x.txt", "cache/y", "cache/", "tmpfile", "app/tmpdir/x",
	"#hash", "!bang", "trailing ", "Thumbs.db", "thumbs.db", "THUMBS.DB",
	"mod.pyc", "mod.pyo", "mod.py",
	"data/a.csv", "data/d.csv", "data/sub/d.csv",
	"logs/keep.txt", "logs/other.txt",
	"generated/x.json", "generated/a/b/x.json", "generated/x.txt",
	"x/deep", "deep", "spaced", "out/file", "A1.txt", "a1.txt", "crlf",
	"app/local_settings.py", "app/sub/local_settings.py",
	"secrets", "app/secrets", "app/sub/secrets",
	"app/debug.log", "app/x.tmp", "app/sub/y.tmp", "app/sub/x/file", "x/file",
	"file.swp", "scratch/notes", ".DS_Store", "sub/.DS_Store", "a.bak",
	"linkdir/z.txt", "README.md", "app/main.py", "DEBUG.LOG",
}

// newIgnoreRepo creates the fixture, with core.excludesFile set and
// linkdir/.gitignore a symbolic link, which git does not follow.
func newIgnoreRepo(t *testing.T) string {
	t.Helper()
	dir := newGitRepo(t)
	for path, content := range ignoreFixture {
		writeFile(t, dir, path, content, 0o644)
	}
	for _, p := range ignoreFixturePaths {
		if strings.HasSuffix(p, "/") {
			os.MkdirAll(filepath.Join(dir, filepath.FromSlash(p)), 0o755)
			continue
		}
		writeFile(t, dir, p, "content\n", 0o644)
	}
	runGit(t, dir, "config", "core.excludesFile", filepath.Join(dir, "home-excludes"))
	if err := os.Symlink("../other-ignore", filepath.Join(dir, "linkdir", ".gitignore")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// gitCheckIgnore returns the paths that `git check-ignore --no-index`
// reports, in input order.
func gitCheckIgnore(t *testing.T, dir string, paths []string) []string {
	t.Helper()
	cmd := exec.Command("git", "-C", dir, "check-ignore", "--no-index", "--stdin", "-z")
	cmd.Stdin = strings.NewReader(strings.Join(paths, "\x00") + "\x00")
	out, err := cmd.Output()
	var exitErr *exec.ExitError
	if err != nil && !(errors.As(err, &exitErr) && exitErr.ExitCode() == 1) {
		t.Fatalf("git check-ignore: %v", err)
	}
	var ignored []string
	for _, p := range strings.Split(string(out), "\x00") {
		if p != "" {
			ignored = append(ignored, p)
		}
	}
	return ignored
}

func fixturePathsWithoutSlash() []string {
	var paths []string
	for _, p := range ignoreFixturePaths {
		paths = append(paths, strings.TrimSuffix(p, "/"))
	}
	return paths
}

func TestIgnoredMatchesGit(t *testing.T) {
	for _, ignoreCase := range []string{"false", "true"} {
		t.Run("core.ignoreCase="+ignoreCase, func(t *testing.T) {
			dir := newIgnoreRepo(t)
			runGit(t, dir, "config", "core.ignoreCase", ignoreCase)
			paths := fixturePathsWithoutSlash()

			got, err := openRepo(t, dir).Ignored(paths)
			if err != nil {
				t.Fatalf("Ignored: %v", err)
			}
			want := gitCheckIgnore(t, dir, paths)
			for _, p := range paths {
				if slices.Contains(got, p) != slices.Contains(want, p) {
					t.Errorf("%q: Ignored returns %v, git check-ignore reports %v",
						p, slices.Contains(got, p), slices.Contains(want, p))
				}
			}
		})
	}
}

func TestIgnored(t *testing.T) {
	dir := newIgnoreRepo(t)
	repo := openRepo(t, dir)
	tests := []struct {
		path   string
		want   bool
		reason string
	}{
		{"debug.log", true, "root pattern *.log"},
		{"important.log", false, "negated by !important.log"},
		{"app/debug.log", false, "negated by app/.gitignore"},
		{"build/keep.txt", true, "parent directory excluded, so negation cannot apply"},
		{"dist", true, "anchored /dist"},
		{"app/dist", false, "anchored /dist matches only at the top"},
		{"docs/index.html", true, "docs/*.html"},
		{"docs/api/index.html", false, "* does not cross /"},
		{"a/cache/x.txt", true, "**/cache/**"},
		{"logs/keep.txt", true, "logs/ excludes the directory"},
		{"out/file", false, "!out/ re-includes the directory"},
		{"app/secrets", true, "anchored in app/.gitignore"},
		{"app/sub/secrets", false, "anchored pattern of app/.gitignore"},
		{"app/sub/y.tmp", false, "deeper .gitignore negates *.tmp"},
		{"app/sub/x/file", true, "directory pattern x/ in app/sub"},
		{"x/file", false, "x/ of app/sub/.gitignore applies only below app/sub"},
		{"file.swp", true, "info/exclude"},
		{".DS_Store", true, "core.excludesFile"},
		{"linkdir/z.txt", false, "symbolic link .gitignore is not read"},
		{"trailing ", true, "escaped trailing space"},
		{"spaced", true, "unescaped trailing spaces trimmed"},
		{"crlf", true, "carriage return trimmed"},
		{"#hash", true, "escaped #"},
		{"README.md", false, "no rule"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := repo.Ignored([]string{tt.path})
			if err != nil {
				t.Fatalf("Ignored: %v", err)
			}
			if (len(got) == 1) != tt.want {
				t.Errorf("Ignored(%q) = %q, want ignored %v (%s)", tt.path, got, tt.want, tt.reason)
			}
		})
	}
}

func TestIgnoredRejectsInput(t *testing.T) {
	repo := openRepo(t, newGitRepo(t))
	for _, p := range []string{"/etc/hosts", "a/../../b", ".git/info/exclude", ""} {
		if _, err := repo.Ignored([]string{p}); !errors.Is(err, ErrInvalidPath) {
			t.Errorf("Ignored(%q) error = %v, want ErrInvalidPath", p, err)
		}
	}
}

func TestParseIgnoreLine(t *testing.T) {
	tests := []struct {
		line string
		want ignorePattern
		ok   bool
	}{
		{"", ignorePattern{}, false},
		{"   ", ignorePattern{}, false},
		{"# comment", ignorePattern{}, false},
		{"/", ignorePattern{}, false},
		{"*.log", ignorePattern{glob: "*.log", basenameOnly: true}, true},
		{"!keep", ignorePattern{glob: "keep", negative: true, basenameOnly: true}, true},
		{"build/", ignorePattern{glob: "build", mustBeDir: true, basenameOnly: true}, true},
		{"/dist", ignorePattern{glob: "dist"}, true},
		{"a/b/", ignorePattern{glob: "a/b", mustBeDir: true}, true},
		{`\#x`, ignorePattern{glob: `\#x`, basenameOnly: true}, true},
		{`a\ `, ignorePattern{glob: `a\ `, basenameOnly: true}, true},
		{"a  \r", ignorePattern{glob: "a", basenameOnly: true}, true},
	}
	for _, tt := range tests {
		got, ok := parseIgnoreLine(tt.line, "")
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseIgnoreLine(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

// TestIgnoredPatternsMatchGit checks single patterns, one .gitignore at a
// time, against git check-ignore on files and directories.
func TestIgnoredPatternsMatchGit(t *testing.T) {
	patterns := []string{
		"*", "**", "a", "/a", "a/", "a/b", "a/*", "a/**", "**/b", "a/**/b",
		"**/a/**", "*.py", "*.py/", "?.py", "[ab].py", "[!ab].py", "[^ab].py",
		"[a-c]*", "[]]x", "[!]]x", "x[", `a\*`, `\a`, "a/**/", "**/",
		"b/**/*.py", "a**b", "a/b**", "**a", "[[:alpha:]]", "[[:digit:]]*",
		"[[:foo:]]", "[a-]x", "[-a]x", "*/", "a/*/c", "*b*", "foo/*.py",
		`\!x`, "a/**/**/c", "/**/b", "[[:punct:]]x", "[a-c-e]", "*/b/",
	}
	files := []string{
		"a.py", "b.py", "c.py", "ab.py", "a/b/c", "a/c", "a/x/b", "a/x/y/b",
		"a/x/y/c", "x/a/y", "b/x.py", "b/y/z.py", "]x", "ax", "-x", "a*",
		"abb", "1abc", "x[", "!x", "foo/bar.py", "foo/x/bar.py", "q/b",
		"ac/b", "d", "e/f",
	}
	directories := []string{"a", "a/b", "a/x", "b", "x", "x/a", "foo", "q", "ac", "e"}

	dir := newGitRepo(t)
	for _, f := range files {
		writeFile(t, dir, f, "content\n", 0o644)
	}
	paths := append(slices.Clone(files), directories...)
	repo := openRepo(t, dir)
	for _, pattern := range patterns {
		writeFile(t, dir, ".gitignore", pattern+"\n", 0o644)
		got, err := repo.Ignored(paths)
		if err != nil {
			t.Fatalf("pattern %q: Ignored: %v", pattern, err)
		}
		want := gitCheckIgnore(t, dir, paths)
		for _, p := range paths {
			if slices.Contains(got, p) != slices.Contains(want, p) {
				t.Errorf("pattern %q, path %q: Ignored returns %v, git check-ignore reports %v",
					pattern, p, slices.Contains(got, p), slices.Contains(want, p))
			}
		}
	}
}
