// Command fastman adds production-grade authentication to FastAPI projects.
package main

import (
	"os"

	"github.com/fastman-cli/fastman/core/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
