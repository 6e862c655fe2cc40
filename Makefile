# Gloss — common tasks.
#   make run    install the system packages a window needs (Debian), build ./gloss and run it
#   make test   every test, headless; needs only Go (what CI runs, with lint and e2e)

GO        ?= go
STATICCHECK_VERSION := v0.8.2
FYNE_TOOL := fyne.io/tools/cmd/fyne@v1.7.4
FUZZTIME  ?= 10s
BENCHTIME ?= 1x

export LANG = en_US.UTF-8

# Debian packages: cgo and the GL/X11 headers to build the window, and an X
# server with xdotool/xclip for the end-to-end test and screenshots.
BUILD_DEPS := gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev \
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
E2E_DEPS   := xvfb xauth xdotool xclip x11-apps imagemagick

.PHONY: all run build deps e2e-deps test race e2e lint fuzz bench screenshot package clean

all: lint test

## run: build ./gloss and start the window (installs missing Debian packages first)
run: build
	./gloss

## build: the gloss binary in ./gloss
build: deps
	$(GO) build -o gloss .

## deps, e2e-deps: install the Debian packages that are missing
deps:
	@.ci/apt-install $(BUILD_DEPS)
e2e-deps: deps
	@.ci/apt-install $(E2E_DEPS)

## test: every unit, widget and CLI test, headless, no C toolchain needed
test:
	CGO_ENABLED=0 $(GO) test -tags ci ./...

## race: every test again with the race detector (it needs cgo: gcc)
race:
	$(GO) test -race -tags ci -timeout 20m ./...

## e2e: the real binary in a real (virtual) window, driven by xdotool
e2e: e2e-deps
	$(GO) test -tags e2e -run TestE2E -count 1 -v .

## screenshot: docs/window.png, the window with highlights, notes and tags
screenshot: e2e-deps
	$(GO) build -o /tmp/gloss-shot .
	.ci/screenshot /tmp/gloss-shot docs/window.png

## lint: go vet, gofmt and staticcheck
lint:
	CGO_ENABLED=0 $(GO) vet -tags ci,e2e ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	CGO_ENABLED=0 $(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) -tags ci,e2e ./...

## fuzz: run every fuzz test for FUZZTIME each
fuzz:
	.ci/fuzz-one FuzzReadArticle ./annotations/formats/ $(FUZZTIME)
	.ci/fuzz-one FuzzReadEPUB ./annotations/formats/ $(FUZZTIME)
	.ci/fuzz-one FuzzReadPDF ./annotations/formats/ $(FUZZTIME)
	.ci/fuzz-one FuzzReadNative ./annotations/formats/ $(FUZZTIME)
	.ci/fuzz-one FuzzNativeReader ./annotations/formats/ $(FUZZTIME)
	.ci/fuzz-one FuzzReadW3C ./annotations/formats/ $(FUZZTIME)
	.ci/fuzz-one FuzzTemplate ./annotations/formats/ $(FUZZTIME)
	.ci/fuzz-one FuzzImport ./annotations/ $(FUZZTIME)
	.ci/fuzz-one FuzzPageLayout_UnmarshalBinary ./annotations/ $(FUZZTIME)
	.ci/fuzz-one FuzzStructure_UnmarshalBinary ./annotations/ $(FUZZTIME)
	.ci/fuzz-one FuzzReanchor ./annotations/anchor/ $(FUZZTIME)
	.ci/fuzz-one FuzzQuery ./annotations/search/ $(FUZZTIME)
	.ci/fuzz-one FuzzDecodeChunk ./annotations/search/ $(FUZZTIME)
	.ci/fuzz-one FuzzPersistedDamage ./annotations/search/ $(FUZZTIME)
	.ci/fuzz-one FuzzAll ./app/textfind/ $(FUZZTIME)
	.ci/fuzz-one FuzzTextflow ./app/textflow/ $(FUZZTIME)
	.ci/fuzz-one FuzzMergeSegment ./sync/ $(FUZZTIME)
	.ci/fuzz-one FuzzParseCredentials ./sync/remote/ $(FUZZTIME)

## bench: the benchmarks whose figures the README quotes (the first run
## writes generated libraries of 100k and 1M annotations to the user's cache
## folder, a few minutes; -short leaves out the 1M sizes)
bench:
	CGO_ENABLED=0 $(GO) test -tags ci -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./storage/ ./annotations/... ./app/textview/ ./sync/
	CGO_ENABLED=0 $(GO) test -tags ci -run '^$$' -bench 'Process(Search|Notes)' -benchtime 48x ./cli/
	CGO_ENABLED=0 $(GO) test -tags ci -run '^$$' -bench 'Process(Import|Export)' -benchtime 1x ./cli/

## package: the Linux bundle (dist/Gloss.tar.xz) with the fyne tool
package: deps
	mkdir -p dist
	cp FyneApp.toml /tmp/FyneApp.toml.keep
	$(GO) run $(FYNE_TOOL) package -os linux -release -name Gloss
	mv /tmp/FyneApp.toml.keep FyneApp.toml  # the tool bumps Build; keep the file as committed
	mv Gloss.tar.xz dist/

clean:
	rm -rf gloss dist
