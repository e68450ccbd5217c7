package sdk

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

// Serve runs p as a plugin process and returns when the host disconnects.
// It must be called from the plugin's main function.
func Serve(p *Provider) {
	if err := p.validate(); err != nil {
		fmt.Fprintf(os.Stderr, "fastman plugin: %v\n", err)
		os.Exit(1)
	}
	go exitWithParent(os.Getppid())
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         PluginSet(p),
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name:       "plugin." + p.Name,
			Level:      hclog.LevelFromString(os.Getenv("FASTMAN_LOG")),
			Output:     os.Stderr,
			JSONFormat: true,
		}),
	})
}

// exitWithParent ends the plugin when the host that started it is gone, as
// when it was killed or died of a broken pipe: the process is then
// re-parented and its parent ID changes.
func exitWithParent(parent int) {
	for range time.Tick(500 * time.Millisecond) {
		if os.Getppid() != parent {
			os.Exit(1)
		}
	}
}

func (p *Provider) validate() error {
	switch {
	case p.Name == "":
		return fmt.Errorf("provider has no name")
	case p.Kind != KindProject && p.Kind != KindAuth:
		return fmt.Errorf("provider %s: kind %q is invalid; use %q or %q", p.Name, p.Kind, KindProject, KindAuth)
	case p.Plan == nil:
		return fmt.Errorf("provider %s: Plan is nil", p.Name)
	}
	return nil
}

type providerServer struct {
	pluginpb.UnimplementedProviderServer
	impl   *Provider
	broker *plugin.GRPCBroker
}

func (s *providerServer) Describe(context.Context, *pluginpb.DescribeRequest) (*pluginpb.DescribeResponse, error) {
	return s.impl.Describe(), nil
}

func (s *providerServer) Plan(ctx context.Context, req *pluginpb.PlanRequest) (*pluginpb.PlanResponse, error) {
	conn, err := s.broker.Dial(req.GetProjectBrokerId())
	if err != nil {
		return nil, status.Errorf(codes.Unavailable, "connect to project view: %v", err)
	}
	defer conn.Close()
	r := &Request{
		ProjectName: req.GetProjectName(),
		Options:     req.GetOptions(),
		Project:     &projectClient{client: pluginpb.NewProjectClient(conn)},
	}
	if r.Options == nil {
		r.Options = map[string]*pluginpb.Value{}
	}
	plan, err := s.impl.Plan(ctx, r)
	if err != nil {
		return nil, status.Error(codes.Unknown, err.Error())
	}
	if plan == nil {
		plan = &Plan{}
	}
	return &pluginpb.PlanResponse{Patches: plan.Patches, Diagnostics: plan.Diagnostics}, nil
}

type projectClient struct {
	client pluginpb.ProjectClient
}

func (c *projectClient) ReadFile(ctx context.Context, path string) ([]byte, bool, error) {
	resp, err := c.client.ReadFile(ctx, &pluginpb.ReadFileRequest{Path: path})
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", path, err)
	}
	return resp.GetContent(), resp.GetExists(), nil
}

func (c *projectClient) ListDir(ctx context.Context, path string) ([]DirEntry, bool, error) {
	resp, err := c.client.ListDir(ctx, &pluginpb.ListDirRequest{Path: path})
	if err != nil {
		return nil, false, fmt.Errorf("list %s: %w", path, err)
	}
	entries := make([]DirEntry, 0, len(resp.GetEntries()))
	for _, e := range resp.GetEntries() {
		entries = append(entries, DirEntry{Name: e.GetName(), IsDir: e.GetIsDir()})
	}
	return sortedEntries(entries), resp.GetExists(), nil
}
