package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fastman-cli/fastman/core/engine"
	"github.com/fastman-cli/fastman/core/gitx"
	"github.com/fastman-cli/fastman/core/manifest"
	"github.com/fastman-cli/fastman/core/sdk"
	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

// applyFlags are the flags shared by every command that applies a plan.
type applyFlags struct {
	dryRun   bool
	noCommit bool
	force    bool
}

func (a *app) bindUpgrade(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&a.upgrade, "upgrade", false, "accept plugin versions that differ from fastman.lock.hcl and record them")
}

func (f *applyFlags) bind(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "show the plan as a diff and write nothing")
	cmd.Flags().BoolVar(&f.noCommit, "no-commit", false, "write the changes but do not commit them")
	cmd.Flags().BoolVar(&f.force, "force", false, "apply to files with uncommitted changes (committing those changes too), and replace generated files you edited")
}

func (a *app) createCommand() *cobra.Command {
	var description string
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a FastAPI project in a new directory and commit it",
		Long: `Create a FastAPI project named NAME in a new directory of that name: a
git repository whose first commit holds the project and its fastman.hcl.`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, argv []string) error {
			return a.create(cmd, argv[0], description)
		},
	}
	cmd.Flags().StringVar(&description, "description", "", "one-line project description for pyproject.toml and the README")
	return cmd
}

func (a *app) create(cmd *cobra.Command, name, description string) error {
	if err := manifest.CheckName(name); err != nil {
		return &usageError{err}
	}
	work, err := a.workDir()
	if err != nil {
		return err
	}
	dir := filepath.Join(work, name)
	created := true
	if entries, err := os.ReadDir(dir); err == nil {
		if len(entries) > 0 {
			return fmt.Errorf("%s already exists and is not empty; choose another name or remove it", dir)
		}
		created = false
	} else if _, lerr := os.Lstat(dir); lerr == nil {
		return fmt.Errorf("%s already exists and is not a directory; choose another name or remove it", dir)
	} else if !errors.Is(lerr, fs.ErrNotExist) {
		return lerr
	}
	if created {
		if err := os.Mkdir(dir, 0o755); err != nil {
			return err
		}
	}
	if err := a.createIn(cmd, dir, name, description); err != nil {
		return errors.Join(err, removeCreated(dir, created))
	}
	fmt.Fprintf(a.stderr, "Created %s. Next: cd %s && fastman add auth jwt\n", name, name)
	return nil
}

// insideWorkTree reports whether a parent of dir holds a .git entry and
// that repository does not ignore dir.
func insideWorkTree(dir string) (bool, error) {
	for top := filepath.Dir(dir); ; top = filepath.Dir(top) {
		if _, err := os.Lstat(filepath.Join(top, ".git")); err == nil {
			repo, err := gitx.Open(top)
			if err != nil {
				return false, err
			}
			rel, err := filepath.Rel(top, dir)
			if err != nil {
				return false, err
			}
			ignored, err := repo.Ignored([]string{filepath.ToSlash(rel)})
			return err == nil && len(ignored) == 0, err
		}
		if filepath.Dir(top) == top {
			return false, nil
		}
	}
}

// removeCreated undoes a failed create: it removes the directory it made,
// or empties the empty directory it was given.
func removeCreated(dir string, created bool) error {
	if created {
		return os.RemoveAll(dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		errs = append(errs, os.RemoveAll(filepath.Join(dir, e.Name())))
	}
	return errors.Join(errs...)
}

func (a *app) createIn(cmd *cobra.Command, dir, name, description string) error {
	// Inside an existing work tree, such as a monorepo, the project is
	// committed to that repository instead of a nested one, unless that
	// repository ignores the new directory.
	nested, err := insideWorkTree(dir)
	if err != nil {
		return err
	}
	if !nested {
		if _, err := gitx.Init(dir); err != nil {
			return err
		}
	}
	src := manifest.New(name, description)
	e, err := a.engine(dir)
	if err != nil {
		return err
	}
	defer e.Close()
	plan, err := e.Plan(cmd.Context(), src)
	if err != nil {
		return err
	}
	return a.apply(e, plan, applyFlags{}, "fastman: create "+name)
}

func (a *app) addCommand() *cobra.Command {
	add := &cobra.Command{
		Use:   "add",
		Short: "Add a feature to the project",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, argv []string) error {
			return &usageError{errors.New("name the feature to add, as in `fastman add auth jwt`")}
		},
	}
	var flags applyFlags
	var sets []string
	auth := &cobra.Command{
		Use:   "auth TYPE",
		Short: "Add an auth block to fastman.hcl, apply it and commit",
		Long: `Add an auth block of TYPE to fastman.hcl with its default options, then
plan, apply and commit the result. Built-in types: jwt.`,
		Example: "  fastman add auth jwt\n  fastman add auth jwt --set password_hash=bcrypt",
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, argv []string) error {
			return a.addAuth(cmd, argv[0], sets, flags)
		},
	}
	flags.bind(auth)
	a.bindUpgrade(auth)
	auth.Flags().StringArrayVar(&sets, "set", nil, "set an option of the block as `NAME=VALUE` (repeatable)")
	add.AddCommand(auth)
	return add
}

func (a *app) installAuthCommand() *cobra.Command {
	var flags applyFlags
	var typ string
	var sets []string
	cmd := &cobra.Command{
		Use:   "install:auth --type=TYPE",
		Short: "Same as `fastman add auth TYPE`",
		Args: args(func(cmd *cobra.Command, argv []string) error {
			if len(argv) > 0 {
				return fmt.Errorf("install:auth takes the type as a flag: use --type=%s", argv[0])
			}
			return nil
		}),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if typ == "" {
				return &usageError{errors.New("--type is required, for example --type=jwt")}
			}
			return a.addAuth(cmd, typ, sets, flags)
		},
	}
	flags.bind(cmd)
	a.bindUpgrade(cmd)
	cmd.Flags().StringVar(&typ, "type", "", "auth `TYPE` to add, such as jwt")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "set an option of the block as `NAME=VALUE` (repeatable)")
	return cmd
}

func (a *app) addAuth(cmd *cobra.Command, typ string, sets []string, flags applyFlags) error {
	e, src, done, err := a.openProject(true)
	if err != nil {
		return err
	}
	defer done()
	e.Overwrite = flags.force
	m, err := engine.ParseManifest(src)
	if err != nil {
		return err
	}
	if b := m.Feature(manifest.BlockAuth, typ); b != nil {
		return fmt.Errorf("auth %q is already in %s at line %d; edit its options there and run `fastman apply`",
			typ, manifest.FileName, b.DefRange.Start.Line)
	}
	// The plan also needs the plugins of the existing blocks, so they
	// start while the new block's plugin describes itself.
	providers := []string{typ}
	for _, b := range m.Blocks() {
		providers = append(providers, b.Provider)
	}
	e.StartPlugins(providers...)
	desc, err := e.Describe(cmd.Context(), manifest.BlockAuth, typ)
	if err != nil {
		return err
	}
	options, names, err := optionValues(desc, sets)
	if err != nil {
		return err
	}
	updated, err := manifest.AppendBlock(src, manifest.FileName, manifest.BlockAuth, typ, names, options)
	if err != nil {
		return err
	}
	// Check --set values here, so that an invalid one is reported as the
	// flag it came from rather than as a line of a manifest not yet written.
	if m, err := engine.ParseManifest(updated); err == nil {
		if _, diags := m.Feature(manifest.BlockAuth, typ).Options(desc.GetOptions()); diags.HasErrors() {
			flag := "--set"
			for _, set := range sets {
				if name, _, _ := strings.Cut(set, "="); diags[0].Summary == "Invalid value for "+name {
					flag += " " + set
				}
			}
			return &usageError{fmt.Errorf("%s: %s", flag, diags[0].Detail)}
		}
	}
	plan, err := e.Plan(cmd.Context(), updated)
	if err != nil {
		return err
	}
	return a.apply(e, plan, flags, fmt.Sprintf("fastman: add auth %s", typ))
}

// optionValues returns the options to write into a new block: every option
// with a default, in schema order, overridden by --set values.
func optionValues(desc *pluginpb.DescribeResponse, sets []string) (map[string]*pluginpb.Value, []string, error) {
	values := map[string]*pluginpb.Value{}
	var names []string
	schema := map[string]*pluginpb.OptionSchema{}
	for _, o := range desc.GetOptions() {
		schema[o.GetName()] = o
		names = append(names, o.GetName())
		if o.GetDefault() != nil {
			values[o.GetName()] = o.GetDefault()
		}
	}
	seen := map[string]bool{}
	for _, set := range sets {
		name, raw, ok := strings.Cut(set, "=")
		if !ok {
			return nil, nil, &usageError{fmt.Errorf("--set %q: expected NAME=VALUE", set)}
		}
		if seen[name] {
			return nil, nil, &usageError{fmt.Errorf("--set %s: %s is set twice; pass it once", set, name)}
		}
		seen[name] = true
		o, ok := schema[name]
		if !ok {
			known := slices.Sorted(func(yield func(string) bool) {
				for n := range schema {
					if !yield(n) {
						return
					}
				}
			})
			msg := fmt.Sprintf("--set %s: %s %q has no option %q; its options are: %s", set, desc.GetKind(), desc.GetName(), name, strings.Join(known, ", "))
			if s := manifest.Suggest(name, known); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			return nil, nil, &usageError{errors.New(msg)}
		}
		v, err := parseValue(o, raw)
		if err != nil {
			return nil, nil, &usageError{fmt.Errorf("--set %s: %w", set, err)}
		}
		values[name] = v
	}
	return values, names, nil
}

func parseValue(o *pluginpb.OptionSchema, raw string) (*pluginpb.Value, error) {
	switch o.GetType() {
	case pluginpb.ValueType_VALUE_TYPE_INT:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s must be a whole number", o.GetName())
		}
		return sdk.IntValue(n), nil
	case pluginpb.ValueType_VALUE_TYPE_BOOL:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return nil, fmt.Errorf("%s must be true or false", o.GetName())
		}
		return sdk.BoolValue(b), nil
	case pluginpb.ValueType_VALUE_TYPE_STRING_LIST:
		var items []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		return sdk.StringListValue(items), nil
	}
	return sdk.StringValue(raw), nil
}

func (a *app) planCommand() *cobra.Command {
	var detailed, asJSON bool
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show, as unified diffs, what apply would change",
		Long: `Show, as unified diffs, the changes that fastman apply would make to bring
the project in line with fastman.hcl. Secret values are masked.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			plan, err := a.plan(cmd)
			if asJSON {
				if jerr := writePlanJSON(a.stdout, plan, err); jerr != nil {
					return jerr
				}
				if err != nil {
					return &exitError{code: ExitError}
				}
			} else if err != nil {
				return err
			} else if err := a.printPlan(plan); err != nil {
				return err
			}
			if detailed && !plan.Empty() {
				return &exitError{code: ExitChanges}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&detailed, "detailed-exitcode", false, "exit with 2 when there are changes, 0 when there are none")
	a.bindUpgrade(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plan, or the manifest diagnostics, as one JSON document on stdout")
	return cmd
}

// plan plans the manifest of the project that fastman runs in.
func (a *app) plan(cmd *cobra.Command) (*engine.Plan, error) {
	e, src, done, err := a.openProject(false)
	if err != nil {
		return nil, err
	}
	defer done()
	return e.Plan(cmd.Context(), src)
}

// openProject returns the engine of the project that fastman runs in and
// the project's manifest. With lock set it first takes the project lock,
// so the manifest cannot change under a command that writes. The caller
// must call done, which releases the lock and stops the plugins.
func (a *app) openProject(lock bool) (e *engine.Engine, src []byte, done func(), err error) {
	dir, err := a.projectRoot()
	if err != nil {
		return nil, nil, nil, err
	}
	e, err = a.engine(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	release := func() {}
	if lock {
		if release, err = e.Lock(); err != nil {
			e.Close()
			return nil, nil, nil, err
		}
	}
	done = func() {
		e.Close()
		release()
	}
	if src, err = e.ReadManifest(); err != nil {
		done()
		return nil, nil, nil, err
	}
	return e, src, done, nil
}

func (a *app) applyCommand() *cobra.Command {
	var flags applyFlags
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Make the project match fastman.hcl and commit the changes",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, src, done, err := a.openProject(true)
			if err != nil {
				return err
			}
			defer done()
			e.Overwrite = flags.force
			plan, err := e.Plan(cmd.Context(), src)
			if err != nil {
				return err
			}
			return a.apply(e, plan, flags, "fastman: apply "+manifest.FileName)
		},
	}
	flags.bind(cmd)
	a.bindUpgrade(cmd)
	return cmd
}

func (a *app) printPlan(plan *engine.Plan) error {
	writeDiagnostics(a.stderr, plan.Warnings, nil)
	if plan.Empty() {
		fmt.Fprintln(a.stdout, "No changes. The project matches fastman.hcl.")
		return nil
	}
	if err := plan.WriteDiff(a.stdout); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "\nPlan: %s.\n", plan.Counts())
	return nil
}

// apply writes the plan and commits it, or only prints it for --dry-run.
func (a *app) apply(e *engine.Engine, plan *engine.Plan, flags applyFlags, message string) error {
	if flags.dryRun {
		if err := a.printPlan(plan); err != nil {
			return err
		}
		fmt.Fprintln(a.stderr, "Dry run: nothing was written.")
		return nil
	}
	writeDiagnostics(a.stderr, plan.Warnings, nil)
	if plan.Empty() {
		fmt.Fprintln(a.stderr, "No changes. The project matches fastman.hcl.")
		return nil
	}
	hash, err := e.Apply(plan, engine.ApplyOptions{Force: flags.force, NoCommit: flags.noCommit, Message: message})
	if err != nil {
		return err
	}
	fmt.Fprint(a.stderr, plan.Summary())
	switch {
	case flags.noCommit:
		fmt.Fprintf(a.stderr, "Applied %s; not committed.\n", plan.Counts())
	case hash == "":
		fmt.Fprintf(a.stderr, "Applied %s; only ignored files changed, so nothing was committed.\n", plan.Counts())
	default:
		fmt.Fprintf(a.stderr, "Applied %s; committed %s %q.\n", plan.Counts(), hash[:12], message)
	}
	return nil
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the versions of fastman and its built-in plugins",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			work, err := a.workDir()
			if err != nil {
				return err
			}
			launcher, err := a.launcher(work)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "fastman %s (plugin protocol %d)\n", Version(), sdk.ProtocolVersion)
			for _, name := range launcher.Names() {
				p, err := launcher.Start(name)
				if err != nil {
					return err
				}
				desc, err := p.Describe(cmd.Context())
				p.Kill()
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "plugin %-8s %s  %s %q: %s\n", desc.GetName(), desc.GetVersion(), desc.GetKind(), desc.GetName(), desc.GetSummary())
			}
			return nil
		},
	}
}
