package gitx

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// headState is the target of HEAD.
type headState struct {
	// branch is the full ref name HEAD points to, such as
	// "refs/heads/main", or "" when HEAD is detached.
	branch string
	// commit is the commit HEAD resolves to, or the zero hash when the
	// branch has no commit yet.
	commit plumbing.Hash
}

// refToUpdate returns the ref that a new commit moves: the branch, or HEAD
// itself when detached.
func (h headState) refToUpdate() string {
	if h.branch == "" {
		return "HEAD"
	}
	return h.branch
}

func (r *Repo) readHead() (headState, error) {
	headPath := filepath.Join(r.gitDir, "HEAD")
	data, err := os.ReadFile(headPath)
	if err != nil {
		return headState{}, fmt.Errorf("read HEAD: %w", err)
	}
	content := strings.TrimSpace(string(data))

	if target, ok := strings.CutPrefix(content, "ref:"); ok {
		branch := strings.TrimSpace(target)
		if err := checkRefName(branch); err != nil {
			return headState{}, fmt.Errorf("read HEAD %s: %w", headPath, err)
		}
		commit, _, err := r.resolveRef(branch)
		if err != nil {
			return headState{}, err
		}
		return headState{branch: branch, commit: commit}, nil
	}

	commit, ok := parseHash(content)
	if !ok {
		return headState{}, fmt.Errorf("read HEAD %s: invalid content %q", headPath, content)
	}
	return headState{commit: commit}, nil
}

// checkRefName rejects names that could lead outside the refs directory.
// It is narrower than git's full rules, which only matter for creating refs.
func checkRefName(name string) error {
	switch {
	case !strings.HasPrefix(name, "refs/"),
		strings.Contains(name, ".."),
		strings.Contains(name, "//"),
		strings.HasSuffix(name, "/"),
		strings.HasSuffix(name, ".lock"),
		strings.ContainsAny(name, "\x00\\"):
		return fmt.Errorf("invalid ref name %q", name)
	}
	return nil
}

// refDir returns the directory that contains ref name and its reflog. Refs
// that git keeps per worktree live in gitDir and all others in commonDir.
func (r *Repo) refDir(name string) string {
	if name == "HEAD" || strings.HasPrefix(name, "refs/worktree/") ||
		strings.HasPrefix(name, "refs/bisect/") || strings.HasPrefix(name, "refs/rewritten/") {
		return r.gitDir
	}
	return r.commonDir
}

// refPath returns the file of a loose ref.
func (r *Repo) refPath(name string) string {
	return filepath.Join(r.refDir(name), filepath.FromSlash(name))
}

// reflogPath returns the log file of ref name.
func (r *Repo) reflogPath(name string) string {
	return filepath.Join(r.refDir(name), "logs", filepath.FromSlash(name))
}

// resolveRef returns the commit of a branch ref from its loose file or,
// failing that, from packed-refs. A missing ref returns the zero hash and
// false.
func (r *Repo) resolveRef(name string) (plumbing.Hash, bool, error) {
	data, err := os.ReadFile(r.refPath(name))
	switch {
	case err == nil:
		content := strings.TrimSpace(string(data))
		if strings.HasPrefix(content, "ref:") {
			return plumbing.ZeroHash, false, fmt.Errorf("ref %s is a symbolic ref, which fastman does not update", name)
		}
		h, ok := parseHash(content)
		if !ok {
			return plumbing.ZeroHash, false, fmt.Errorf("ref %s: invalid content %q", name, content)
		}
		return h, true, nil
	case errors.Is(err, fs.ErrNotExist), isNotDir(err):
		return r.resolvePackedRef(name)
	default:
		return plumbing.ZeroHash, false, fmt.Errorf("read ref %s: %w", name, err)
	}
}

func (r *Repo) resolvePackedRef(name string) (plumbing.Hash, bool, error) {
	packed := filepath.Join(r.commonDir, "packed-refs")
	f, err := os.Open(packed)
	if errors.Is(err, fs.ErrNotExist) {
		return plumbing.ZeroHash, false, nil
	}
	if err != nil {
		return plumbing.ZeroHash, false, fmt.Errorf("read %s: %w", packed, err)
	}
	defer f.Close()

	// Each line is "HASH NAME"; "#" starts the header and "^" a peeled
	// tag, neither of which names a branch.
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		line := scanner.Bytes()
		if len(line) == 0 || line[0] == '#' || line[0] == '^' {
			continue
		}
		hashText, refName, ok := bytes.Cut(line, []byte(" "))
		if !ok || string(refName) != name {
			continue
		}
		h, ok := parseHash(string(hashText))
		if !ok {
			return plumbing.ZeroHash, false, fmt.Errorf("read %s: invalid hash for %s", packed, name)
		}
		return h, true, nil
	}
	if err := scanner.Err(); err != nil {
		return plumbing.ZeroHash, false, fmt.Errorf("read %s: %w", packed, err)
	}
	return plumbing.ZeroHash, false, nil
}

// updateRef moves ref name from oldHash to newHash. A zero oldHash means
// the ref must not exist yet. As git does, it holds NAME.lock while it
// checks the old value and then renames the lock over the ref, so a
// concurrent update fails instead of being lost.
func (r *Repo) updateRef(name string, oldHash, newHash plumbing.Hash) error {
	refFile := r.refPath(name)
	if err := os.MkdirAll(filepath.Dir(refFile), 0o777); err != nil {
		return fmt.Errorf("update %s: %w", name, err)
	}
	lock, err := createLockFile(refFile)
	if err != nil {
		return fmt.Errorf("update %s: %w", name, err)
	}
	defer lock.rollback()

	current, _, err := r.resolveRef(name)
	if err != nil {
		return fmt.Errorf("update %s: %w", name, err)
	}
	if current != oldHash {
		return fmt.Errorf("update %s: it moved from %s to %s during the commit, run fastman again", name, oldHash, current)
	}
	if _, err := lock.file.WriteString(newHash.String() + "\n"); err != nil {
		return fmt.Errorf("update %s: %w", name, err)
	}
	if err := lock.commit(); err != nil {
		return fmt.Errorf("update %s: %w", name, err)
	}
	return nil
}

// appendReflogs records a ref update in the reflog of ref and, when HEAD
// points to ref, in the reflog of HEAD, like git commit. Logs are written
// when core.logAllRefUpdates is on (the default with a work tree) or when
// the log file already exists.
func (r *Repo) appendReflogs(head headState, oldHash, newHash plumbing.Hash, committer object.Signature, message string) error {
	line := formatReflogLine(oldHash, newHash, committer, message)
	// The value "always" is not a boolean, so it keeps the default, on.
	logAll := r.config.boolValue("core.logallrefupdates", true)

	names := []string{"HEAD"}
	if head.branch != "" {
		names = append(names, head.branch)
	}
	for _, name := range names {
		logFile := r.reflogPath(name)
		if !logAll {
			if _, err := os.Stat(logFile); err != nil {
				continue
			}
		}
		if err := appendLine(logFile, line); err != nil {
			return fmt.Errorf("write reflog of %s: %w", name, err)
		}
	}
	return nil
}

// formatReflogLine builds "OLD NEW NAME <EMAIL> UNIX TZ\tMESSAGE\n", with
// only the first line of message.
func formatReflogLine(oldHash, newHash plumbing.Hash, committer object.Signature, message string) string {
	subject, _, _ := strings.Cut(message, "\n")
	action := "commit"
	if oldHash.IsZero() {
		action = "commit (initial)"
	}
	return fmt.Sprintf("%s %s %s <%s> %d %s\t%s: %s\n",
		oldHash, newHash, committer.Name, committer.Email,
		committer.When.Unix(), committer.When.Format("-0700"), action, subject)
}

func appendLine(file, line string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// parseHash parses a 40-digit hexadecimal object name.
func parseHash(s string) (plumbing.Hash, bool) {
	var h plumbing.Hash
	if len(s) != 2*len(h) {
		return plumbing.ZeroHash, false
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return plumbing.ZeroHash, false
	}
	return h, true
}
