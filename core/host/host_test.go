package host

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-plugin"

	"github.com/fastman-cli/fastman/core/sdk"
	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

// fakeView is an in-memory project.
type fakeView map[string]string

func (v fakeView) ReadFile(p string) ([]byte, bool, error) {
	c, ok := v[p]
	return []byte(c), ok, nil
}

func (v fakeView) ListDir(string) ([]*pluginpb.DirEntry, bool, error) {
	var out []*pluginpb.DirEntry
	for name := range v {
		out = append(out, &pluginpb.DirEntry{Name: name})
	}
	return out, true, nil
}

// connect serves provider in process over go-plugin's test gRPC connection,
// the same adapters a plugin process uses, and returns the host's side.
func connect(t *testing.T, provider *sdk.Provider) *Plugin {
	t.Helper()
	client, server := plugin.TestPluginGRPCConn(t, false, sdk.PluginSet(provider))
	t.Cleanup(func() {
		client.Close()
		server.Stop()
	})
	raw, err := client.Dispense(sdk.PluginName)
	if err != nil {
		t.Fatal(err)
	}
	return &Plugin{Name: provider.Name, rpc: raw.(*sdk.HostClient), timeout: 5 * time.Second, client: plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig: sdk.Handshake, Plugins: sdk.PluginSet(nil), Reattach: &plugin.ReattachConfig{Test: true},
	})}
}

func TestDescribeOverGRPC(t *testing.T) {
	p := connect(t, &sdk.Provider{
		Name: "demo", Kind: sdk.KindAuth, Version: "1.0.0",
		Options:      []sdk.Option{sdk.IntOption("ttl", 30, 1, 60, "Lifetime.")},
		Env:          []sdk.EnvVar{{Name: "DEMO_KEY", Secret: true}},
		Dependencies: []string{"demo==1.0"},
		Plan:         func(context.Context, *sdk.Request) (*sdk.Plan, error) { return nil, nil },
	})
	desc, err := p.Describe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if desc.GetName() != "demo" || desc.GetKind() != "auth" || desc.GetVersion() != "1.0.0" {
		t.Errorf("description = %v", desc)
	}
	opt := desc.GetOptions()[0]
	if opt.GetName() != "ttl" || opt.GetDefault().GetInt() != 30 || !opt.GetHasRange() || opt.GetMax() != 60 {
		t.Errorf("option = %v", opt)
	}
	if !desc.GetEnv()[0].GetSecret() {
		t.Error("DEMO_KEY should be secret")
	}
	if desc.GetPythonDependencies()[0] != "demo==1.0" {
		t.Errorf("dependencies = %v", desc.GetPythonDependencies())
	}
}

func TestPlanReadsProjectView(t *testing.T) {
	p := connect(t, &sdk.Provider{
		Name: "demo", Kind: sdk.KindAuth, Version: "1.0.0",
		Plan: func(ctx context.Context, req *sdk.Request) (*sdk.Plan, error) {
			content, ok, err := req.Project.ReadFile(ctx, "app/main.py")
			if err != nil || !ok {
				return nil, errors.New("app/main.py not readable")
			}
			if _, _, err := req.Project.ReadFile(ctx, "../secret"); err == nil {
				return nil, errors.New("a path outside the project was readable")
			}
			if _, _, err := req.Project.ReadFile(ctx, ".git/config"); err == nil {
				return nil, errors.New(".git was readable")
			}
			plan := &sdk.Plan{}
			plan.WriteFile("copy.txt", append(content, []byte(req.String("suffix"))...))
			return plan, nil
		},
	})
	resp, err := p.Plan(context.Background(), &pluginpb.PlanRequest{
		Options: map[string]*pluginpb.Value{"suffix": sdk.StringValue("!")},
	}, fakeView{"app/main.py": "app"})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetPatches()) != 1 {
		t.Fatalf("got %d patches, want 1", len(resp.GetPatches()))
	}
	w := resp.GetPatches()[0].GetWriteFile()
	if w.GetPath() != "copy.txt" || string(w.GetContent()) != "app!" {
		t.Errorf("patch = %v", w)
	}
}

func TestPlanErrorNamesPluginAndCall(t *testing.T) {
	p := connect(t, &sdk.Provider{
		Name: "demo", Kind: sdk.KindAuth, Version: "1.0.0",
		Plan: func(context.Context, *sdk.Request) (*sdk.Plan, error) {
			return nil, errors.New("template app.py: missing key")
		},
	})
	_, err := p.Plan(context.Background(), &pluginpb.PlanRequest{}, fakeView{})
	var he *Error
	if !errors.As(err, &he) {
		t.Fatalf("error = %v, want a host.Error", err)
	}
	if he.Plugin != "demo" || he.Call != "Plan" {
		t.Errorf("error names plugin %q call %q", he.Plugin, he.Call)
	}
	if !strings.Contains(err.Error(), "template app.py: missing key") {
		t.Errorf("error = %q, want the plugin's message", err)
	}
}

func TestCleanPath(t *testing.T) {
	valid := map[string]string{"a.py": "a.py", "app/./main.py": "app/main.py", "app//x": "app/x", ".github/ci.yml": ".github/ci.yml"}
	for in, want := range valid {
		got, err := CleanPath(in)
		if err != nil || got != want {
			t.Errorf("CleanPath(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "/etc/passwd", "..", "a/../../b", "a/..", ".git", ".git/hooks/x", ".Git/config", "C:/x", `a\b`, "a\x00b", "."} {
		if got, err := CleanPath(in); err == nil {
			t.Errorf("CleanPath(%q) = %q, want an error", in, got)
		}
	}
}
