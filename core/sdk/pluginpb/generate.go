// Package pluginpb holds the protobuf contract between the fastman host and
// its plugins, and the code generated from it. Regenerate after editing
// plugin.proto with `go generate ./core/sdk/pluginpb`, which needs protoc,
// protoc-gen-go and protoc-gen-go-grpc on PATH.
package pluginpb

//go:generate protoc --go_out=. --go_opt=paths=source_relative --go-grpc_out=. --go-grpc_opt=paths=source_relative plugin.proto
