# Build, demo and test targets. `make test` is the one command that runs
# every test; .ci/run calls it.

GO ?= go
DEMO_DIR ?= demo

.PHONY: build demo test vet fmt-check fuzz bench clean

build:
	$(GO) build -o fastman .

# Builds fastman, creates a FastAPI project in $(DEMO_DIR) and adds JWT auth.
demo: build
	rm -rf $(DEMO_DIR)
	mkdir -p $(dir $(DEMO_DIR))
	./fastman -C $(dir $(DEMO_DIR)) create $(notdir $(DEMO_DIR))
	cd $(DEMO_DIR) && $(CURDIR)/fastman add auth jwt
	cd $(DEMO_DIR) && git log --oneline

# Unit tests, fuzz seeds, CLI testscripts and the end-to-end run of the
# generated projects (needs python3 and the Python package index).
test: fmt-check vet
	FASTMAN_E2E=1 $(GO) test -count=1 ./...

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# Runs each fuzz target for FUZZTIME (default 30s).
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./core/manifest
	$(GO) test -run '^$$' -fuzz '^FuzzSet$$' -fuzztime $(FUZZTIME) ./core/edit/envfile
	$(GO) test -run '^$$' -fuzz '^FuzzAddDependency$$' -fuzztime $(FUZZTIME) ./core/edit/pyproject
	$(GO) test -run '^$$' -fuzz '^FuzzAddImport$$' -fuzztime $(FUZZTIME) ./core/edit/pyedit
	$(GO) test -run '^$$' -fuzz '^FuzzAddClassField$$' -fuzztime $(FUZZTIME) ./core/edit/pyedit

# Benchmarks of add auth jwt against the git CLI; see docs/benchmarks.md.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 10x ./bench ./core/gitx

clean:
	rm -rf fastman $(DEMO_DIR)
