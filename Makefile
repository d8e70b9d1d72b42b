# ConvTour — the two commands of the README, and their helpers.
SWIFT ?= swift

.PHONY: run test deps build release install lint format clean

PREFIX ?= /usr/local

# Start the tour (release build).
run: deps release
	./.build/release/convtour $(ARGS)

# Every test (builds first), then the full-size VGG-16 once in a release build.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) build -c release --product convtour
	CONVTOUR_RELEASE_BIN=.build/release/convtour $(SWIFT) test --skip-build
	./.ci/vgg16-release-check

# Install whatever of the system packages is missing.
deps:
	@./.ci/install-deps

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product convtour

# Install the binary and the lessons under PREFIX.
install: release
	install -d $(PREFIX)/bin $(PREFIX)/share/convtour/Lessons
	install -m 755 .build/release/convtour $(PREFIX)/bin/convtour
	install -m 644 Lessons/*.lesson Lessons/README.md $(PREFIX)/share/convtour/Lessons/

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

clean:
	rm -rf .build
