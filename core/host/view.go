package host

import (
	"context"
	"fmt"
	"path"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/fastman-cli/fastman/core/sdk/pluginpb"
)

// View is the read-only project that a plugin reads while planning.
type View interface {
	ReadFile(path string) (content []byte, ok bool, err error)
	ListDir(path string) (entries []*pluginpb.DirEntry, ok bool, err error)
}

type projectServer struct {
	pluginpb.UnimplementedProjectServer
	view View
}

func (s *projectServer) ReadFile(_ context.Context, req *pluginpb.ReadFileRequest) (*pluginpb.ReadFileResponse, error) {
	p, err := CleanPath(req.GetPath())
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	content, ok, err := s.view.ReadFile(p)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &pluginpb.ReadFileResponse{Exists: ok, Content: content}, nil
}

func (s *projectServer) ListDir(_ context.Context, req *pluginpb.ListDirRequest) (*pluginpb.ListDirResponse, error) {
	p := req.GetPath()
	if p != "" && p != "." {
		var err error
		if p, err = CleanPath(p); err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
	} else {
		p = "."
	}
	entries, ok, err := s.view.ListDir(p)
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return &pluginpb.ListDirResponse{Exists: ok, Entries: entries}, nil
}

// CleanPath checks that p is a slash-separated path inside the project and
// outside .git, and returns it cleaned.
func CleanPath(p string) (string, error) {
	switch {
	case p == "":
		return "", fmt.Errorf("empty path")
	case strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || (len(p) > 1 && p[1] == ':'):
		return "", fmt.Errorf("path %q is absolute; use a path relative to the project root", p)
	case strings.ContainsRune(p, 0):
		return "", fmt.Errorf("path %q contains a NUL byte", p)
	}
	for _, elem := range strings.Split(p, "/") {
		if elem == ".." {
			return "", fmt.Errorf("path %q leaves the project root", p)
		}
	}
	c := path.Clean(p)
	if c == "." {
		return "", fmt.Errorf("path %q names the project root, not a file", p)
	}
	first, _, _ := strings.Cut(c, "/")
	if strings.EqualFold(first, ".git") {
		return "", fmt.Errorf("path %q is inside .git, which fastman never writes", p)
	}
	return c, nil
}
