package sdk

import (
	"context"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

// ProtocolVersion is the version of the plugin protocol. The host refuses
// plugins built against another version.
const ProtocolVersion = 1

// PluginName is the key of the provider in go-plugin's plugin set.
const PluginName = "provider"

// Handshake is shared by the host and every plugin. The magic cookie only
// stops a plugin binary from being run directly by a person; it is not a
// security measure.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "FASTMAN_PLUGIN_COOKIE",
	MagicCookieValue: "c4a1f0e2b79d4e35a8d6f31b02e7c95d",
}

// GRPCProvider adapts a [Provider] to go-plugin on the plugin side and
// returns a [pluginpb.ProviderClient] wrapper on the host side.
type GRPCProvider struct {
	plugin.NetRPCUnsupportedPlugin

	// Impl is set on the plugin side only.
	Impl *Provider
}

// GRPCServer registers the provider with the plugin's gRPC server.
func (p *GRPCProvider) GRPCServer(broker *plugin.GRPCBroker, s *grpc.Server) error {
	pluginpb.RegisterProviderServer(s, &providerServer{impl: p.Impl, broker: broker})
	return nil
}

// GRPCClient returns a [*HostClient] for the host side.
func (p *GRPCProvider) GRPCClient(ctx context.Context, broker *plugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	return &HostClient{Provider: pluginpb.NewProviderClient(conn), Broker: broker}, nil
}

// PluginSet returns the go-plugin plugin set for the provider.
func PluginSet(impl *Provider) plugin.PluginSet {
	return plugin.PluginSet{PluginName: &GRPCProvider{Impl: impl}}
}

// HostClient is the host's handle on a running plugin: the gRPC client and
// the broker on which the host serves the project view.
type HostClient struct {
	Provider pluginpb.ProviderClient
	Broker   *plugin.GRPCBroker
}
