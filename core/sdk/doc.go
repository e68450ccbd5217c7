// Package sdk is the contract between the fastman host and its provider
// plugins, and the kit for writing one.
//
// A plugin is a program whose main function calls [Serve] with a
// [Provider]. The host starts it as a separate process through go-plugin,
// speaks gRPC to it (see pluginpb/plugin.proto), calls Describe for its
// options and then Plan. While planning, the plugin reads the project through a
// read-only view and returns patches. Plugins never write files; the host
// validates the patches, shows them as a diff, applies them all or none, and
// commits them.
//
// A minimal plugin:
//
//	func main() {
//		sdk.Serve(&sdk.Provider{
//			Name:    "hello",
//			Kind:    sdk.KindAuth,
//			Version: "1.0.0",
//			Options: []sdk.Option{sdk.StringOption("greeting", "hello", "Text of the greeting.")},
//			Plan: func(ctx context.Context, req *sdk.Request) (*sdk.Plan, error) {
//				plan := &sdk.Plan{}
//				plan.WriteFile("app/hello.txt", []byte(req.String("greeting")+"\n"))
//				return plan, nil
//			},
//		})
//	}
//
// The host finds a plugin named NAME as an executable called
// fastman-plugin-NAME in the project's .fastman/plugins directory or on
// PATH, unless NAME is built in.
package sdk
