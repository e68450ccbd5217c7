package engine

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/fastman-cli/fastman/core/gitx"
	"github.com/fastman-cli/fastman/core/manifest"
)

// ApplyOptions control Apply.
type ApplyOptions struct {
	// Force overwrites files with uncommitted changes.
	Force bool
	// NoCommit writes the files and leaves them uncommitted.
	NoCommit bool
	// Message is the commit message.
	Message string
}

// DirtyError lists files the plan would overwrite that hold uncommitted
// changes.
type DirtyError struct {
	Paths []string
}

func (e *DirtyError) Error() string {
	return fmt.Sprintf("%s %s uncommitted changes that the plan would overwrite; commit or stash them, or rerun with --force",
		strings.Join(e.Paths, ", "), plural(len(e.Paths), "has", "have"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Apply writes the plan all or nothing and commits exactly the touched paths
// that git does not ignore. It returns the commit hash, or "" when nothing
// was committed. On any failure the project is left as it was.
func (e *Engine) Apply(plan *Plan, opts ApplyOptions) (string, error) {
	if plan.Empty() {
		return "", nil
	}
	repo, err := openRepo(e.Dir)
	if errors.Is(err, errNoRepository) && opts.NoCommit {
		// Without git there is nothing to commit and no uncommitted
		// change to protect, so the files are only written.
		return "", e.writeOnly(plan)
	}
	if err != nil {
		return "", err
	}
	if err := checkSecretsEarly(repo, plan); err != nil {
		return "", err
	}
	paths := plan.Paths()
	if !opts.Force {
		dirty, err := repo.Modified(paths)
		if err != nil {
			return "", err
		}
		if len(dirty) > 0 {
			return "", &DirtyError{Paths: dirty}
		}
	}
	root, err := os.OpenRoot(e.Dir)
	if err != nil {
		return "", err
	}
	defer root.Close()
	tx := &transaction{root: root}
	if err := tx.write(plan.Changes); err != nil {
		return "", tx.undo(err)
	}
	// Ignore rules are read after writing, so that a .gitignore the plan
	// creates or changes applies to the plan's own files.
	commitPaths, err := e.commitPaths(repo, plan)
	if err != nil {
		return "", tx.undo(err)
	}
	if opts.NoCommit {
		tx.commit()
		return "", nil
	}
	hash, err := repo.CommitPaths(commitPaths, opts.Message)
	if errors.Is(err, gitx.ErrNothingToCommit) {
		tx.commit()
		return "", nil
	}
	if err != nil {
		return "", tx.undo(err)
	}
	tx.commit()
	return hash.String(), nil
}

// writeOnly writes the plan all or nothing.
func (e *Engine) writeOnly(plan *Plan) error {
	root, err := os.OpenRoot(e.Dir)
	if err != nil {
		return err
	}
	defer root.Close()
	tx := &transaction{root: root}
	if err := tx.write(plan.Changes); err != nil {
		return tx.undo(err)
	}
	tx.commit()
	return nil
}

// commitPaths returns the paths to commit: the changed paths that git does
// not ignore, and the manifest when it has uncommitted edits, since it
// produced the plan. It fails when a local env file would be committed.
func (e *Engine) commitPaths(repo *projectRepo, plan *Plan) ([]string, error) {
	paths := plan.Paths()
	excluded, err := untrackedIgnored(repo, paths)
	if err != nil {
		return nil, err
	}
	for _, own := range []string{manifest.FileName, LockFileName} {
		if slices.Contains(excluded, own) {
			return nil, fmt.Errorf("%s is ignored by git, so the commit would leave it out and other clones could not reproduce the project; remove the rule that ignores it", own)
		}
	}
	tracked := slices.DeleteFunc(slices.Clone(paths), func(p string) bool { return slices.Contains(excluded, p) })
	if err := checkSecrets(repo, tracked); err != nil {
		return nil, err
	}
	if !plan.ManifestChanged {
		m, err := repo.Modified([]string{manifest.FileName})
		if err != nil {
			return nil, err
		}
		tracked = append(tracked, m...)
	}
	return tracked, nil
}

// untrackedIgnored returns the paths that git ignores and does not track.
// As in git, a tracked file stays tracked whatever the ignore rules match.
func untrackedIgnored(repo *projectRepo, paths []string) ([]string, error) {
	ignored, err := repo.Ignored(paths)
	if err != nil || len(ignored) == 0 {
		return ignored, err
	}
	tracked, err := repo.Tracked(ignored)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ignored, func(p string) bool { return slices.Contains(tracked, p) }), nil
}

// checkSecretsEarly runs the secret check before anything is written, with
// the ignore rules on disk, when the plan does not change a .gitignore:
// otherwise the dirty check would name the env file first and suggest
// committing it.
func checkSecretsEarly(repo *projectRepo, plan *Plan) error {
	var local []string
	for _, p := range plan.Paths() {
		if path.Base(p) == ".gitignore" {
			return nil
		}
		if isEnvFile(p) && !IsExampleEnvFile(p) {
			local = append(local, p)
		}
	}
	if len(local) == 0 {
		return nil
	}
	excluded, err := untrackedIgnored(repo, local)
	if err != nil {
		return err
	}
	return checkSecrets(repo, slices.DeleteFunc(local, func(p string) bool { return slices.Contains(excluded, p) }))
}

// checkSecrets refuses to commit a local env file, which holds real secret
// values: it must be gitignored.
func checkSecrets(repo *projectRepo, paths []string) error {
	for _, p := range paths {
		if !isEnvFile(p) || IsExampleEnvFile(p) {
			continue
		}
		if tracked, err := repo.Tracked([]string{p}); err != nil {
			return err
		} else if len(tracked) > 0 {
			return fmt.Errorf("%s holds secret values but is tracked by git; run `git rm --cached %s`, keep it in .gitignore, and rotate the secrets it held", p, p)
		}
		return fmt.Errorf("%s holds secret values but is not ignored by git; add %s to .gitignore so it is never committed", p, p)
	}
	return nil
}

// transaction writes a set of changes so that they can all be undone.
type transaction struct {
	root    *os.Root
	created []string // directories created, parents first
	tempsMu sync.Mutex
	temps   []string // temporary files not yet renamed
	done    []undo   // changes made, in order
}

type undo struct {
	path    string
	old     []byte
	existed bool
	mode    fs.FileMode
}

// write stages every new file as a temporary file beside its target, then
// renames them all into place and removes deleted files.
func (t *transaction) write(changes []*Change) error {
	modes := make([]fs.FileMode, len(changes))
	for i, c := range changes {
		if !c.NewExists {
			continue
		}
		if err := t.mkdirAll(path.Dir(c.Path)); err != nil {
			return err
		}
		mode := fs.FileMode(0o644)
		if c.Executable {
			mode = 0o755
		}
		if info, err := t.root.Stat(c.Path); err == nil {
			mode = info.Mode().Perm()
		}
		modes[i] = mode
	}
	staged, err := t.stageAll(changes, modes)
	if err != nil {
		return err
	}
	for i, c := range changes {
		mode := fs.FileMode(0o644)
		if info, err := t.root.Stat(c.Path); err == nil {
			mode = info.Mode().Perm()
		}
		u := undo{path: c.Path, old: c.Old, existed: c.OldExists, mode: mode}
		if c.NewExists {
			if err := t.root.Rename(staged[i], c.Path); err != nil {
				return fmt.Errorf("write %s: %w", c.Path, err)
			}
			t.temps = slices.DeleteFunc(t.temps, func(s string) bool { return s == staged[i] })
		} else if c.OldExists {
			if err := t.root.Remove(c.Path); err != nil {
				return fmt.Errorf("delete %s: %w", c.Path, err)
			}
		}
		t.done = append(t.done, u)
	}
	return nil
}

// maxConcurrentStages bounds the temporary files that are open at once.
const maxConcurrentStages = 16

// stageAll stages the new content of every change that keeps a file, with
// modes[i] for changes[i], and returns the temporary paths by change ("" for
// a deletion). The files are written and synced concurrently, because
// journaling file systems such as ext4 then flush them in shared journal
// commits instead of one commit per file. That matters most when other
// processes write to the same disk.
func (t *transaction) stageAll(changes []*Change, modes []fs.FileMode) ([]string, error) {
	staged := make([]string, len(changes))
	errs := make([]error, len(changes))
	limit := make(chan struct{}, maxConcurrentStages)
	var wg sync.WaitGroup
	for i, c := range changes {
		if !c.NewExists {
			continue
		}
		wg.Go(func() {
			limit <- struct{}{}
			defer func() { <-limit }()
			staged[i], errs[i] = t.stage(c.Path, c.New, modes[i])
		})
	}
	wg.Wait()
	return staged, errors.Join(errs...)
}

// stage writes content to a new temporary file beside target, syncs it and
// returns its path. It is safe for concurrent use.
func (t *transaction) stage(target string, content []byte, mode fs.FileMode) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tmp := path.Join(path.Dir(target), ".fastman-"+hex.EncodeToString(b[:])+".tmp")
	f, err := t.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	t.tempsMu.Lock()
	t.temps = append(t.temps, tmp)
	t.tempsMu.Unlock()
	_, werr := f.Write(content)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	if err := t.root.Chmod(tmp, mode); err != nil {
		return "", fmt.Errorf("write %s: %w", target, err)
	}
	return tmp, nil
}

func (t *transaction) mkdirAll(dir string) error {
	if dir == "." {
		return nil
	}
	info, err := t.root.Lstat(dir)
	if err == nil {
		if !info.IsDir() {
			return fmt.Errorf("%s is not a directory, but the plan writes files under it", dir)
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if err := t.mkdirAll(path.Dir(dir)); err != nil {
		return err
	}
	if err := t.root.Mkdir(dir, 0o755); err != nil {
		return fmt.Errorf("create directory %s: %w", dir, err)
	}
	t.created = append(t.created, dir)
	return nil
}

// rollback undoes every change in reverse order and removes what the
// transaction created.
func (t *transaction) rollback() error {
	var errs []error
	for i := len(t.done) - 1; i >= 0; i-- {
		u := t.done[i]
		if !u.existed {
			if err := t.root.Remove(u.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, fmt.Errorf("restore %s: %w", u.path, err))
			}
			continue
		}
		tmp, err := t.stage(u.path, u.old, u.mode)
		if err == nil {
			err = t.root.Rename(tmp, u.path)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("restore %s: %w", u.path, err))
		}
	}
	for _, tmp := range t.temps {
		if err := t.root.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	for i := len(t.created) - 1; i >= 0; i-- {
		if err := t.root.Remove(t.created[i]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// undo rolls back after err and reports whether the project was restored.
func (t *transaction) undo(err error) error {
	if rerr := t.rollback(); rerr != nil {
		return errors.Join(err, fmt.Errorf("restoring the project failed, so check `git status`: %w", rerr))
	}
	return fmt.Errorf("%w; every file was restored", err)
}

func (t *transaction) commit() {
	t.temps, t.done, t.created = nil, nil, nil
}
