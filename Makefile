# Gloss — common tasks. `make test` is what CI runs (through .ci/run).

GO       ?= go
STATICCHECK_VERSION := v0.8.2
FUZZTIME ?= 10s
BENCHTIME ?= 1x

export LANG = en_US.UTF-8

.PHONY: all build test lint fuzz bench clean

all: lint test

## build: the gloss binary in ./gloss
build:
	$(GO) build -o gloss .

## test: every test, headless, no C toolchain needed
test:
	CGO_ENABLED=0 $(GO) test -tags ci ./...

## lint: go vet, gofmt and staticcheck
lint:
	CGO_ENABLED=0 $(GO) vet -tags ci ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) -tags ci ./...

## fuzz: run every fuzz test for FUZZTIME each
fuzz:
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzReadArticle$$' -fuzztime $(FUZZTIME) ./annotations/formats/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzReadNative$$' -fuzztime $(FUZZTIME) ./annotations/formats/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzImport$$' -fuzztime $(FUZZTIME) ./annotations/

## bench: the benchmarks whose figures the README quotes
bench:
	CGO_ENABLED=0 $(GO) test -tags ci -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./storage/ ./annotations/...

clean:
	rm -f gloss
