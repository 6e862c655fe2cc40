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
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzReadArticle$$' -fuzztime $(FUZZTIME) ./annotations/formats/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzReadEPUB$$' -fuzztime $(FUZZTIME) ./annotations/formats/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzReadPDF$$' -fuzztime $(FUZZTIME) ./annotations/formats/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzReadNative$$' -fuzztime $(FUZZTIME) ./annotations/formats/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzNativeReader$$' -fuzztime $(FUZZTIME) ./annotations/formats/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzReadW3C$$' -fuzztime $(FUZZTIME) ./annotations/formats/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzTemplate$$' -fuzztime $(FUZZTIME) ./annotations/formats/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzImport$$' -fuzztime $(FUZZTIME) ./annotations/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzPageLayout_UnmarshalBinary$$' -fuzztime $(FUZZTIME) ./annotations/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzReanchor$$' -fuzztime $(FUZZTIME) ./annotations/anchor/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzQuery$$' -fuzztime $(FUZZTIME) ./annotations/search/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzDecodeChunk$$' -fuzztime $(FUZZTIME) ./annotations/search/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzPersistedDamage$$' -fuzztime $(FUZZTIME) ./annotations/search/
	CGO_ENABLED=0 $(GO) test -run '^$$' -fuzz '^FuzzAll$$' -fuzztime $(FUZZTIME) ./app/textfind/

## bench: the benchmarks whose figures the README quotes (the first run
## writes generated libraries of 100k and 1M annotations to the user's cache
## folder, a few minutes; -short leaves out the 1M sizes)
bench:
	CGO_ENABLED=0 $(GO) test -tags ci -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./storage/ ./annotations/... ./app/textview/
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
