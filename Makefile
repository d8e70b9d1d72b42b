# ConvTour — the two commands of the README, and their helpers.
SWIFT ?= swift

.PHONY: run test deps build release lint format clean

# Start the tour (release build).
run: deps release
	./.build/release/convtour $(ARGS)

# Every test (builds first).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Install whatever of the system packages is missing.
deps:
	@./.ci/install-deps

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product convtour

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

clean:
	rm -rf .build
