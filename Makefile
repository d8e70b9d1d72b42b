# ConvTour — the two commands of the README, and their helpers.
SWIFT ?= swift

.PHONY: run test deps build release install lint format clean fuzz

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

# Fuzz one parser with libFuzzer:
# make fuzz TARGET=lesson|safetensors|npy|png|jpeg|ppm|pth|network|idx|cifar|imagefolder SECONDS=60.
# Builds in .build-fuzz with -sanitize=fuzzer,address; seeds come from the real files (lessons,
# image fixtures, files made by the writers); new inputs go to .build-fuzz/corpus/TARGET, and a
# crash, timeout (30 s: the slowest real input takes about 1 s under ASAN, more on a busy machine)
# or memory blow-up (2 GB) is written to Fuzz/TARGET/, to be fixed and moved to regressions/.
TARGET ?= lesson
SECONDS ?= 60
FUZZ_BUILD = $(SWIFT) build -c release --scratch-path .build-fuzz --product convtour-fuzz \
	-Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library
fuzz: deps
	$(FUZZ_BUILD)
	$(SWIFT) build --product convtour-fuzz
	mkdir -p .build-fuzz/seeds .build-fuzz/corpus/$(TARGET) Fuzz/$(TARGET)/regressions
	./.build/debug/convtour-fuzz --seeds .build-fuzz/seeds
	FUZZ_TARGET=$(TARGET) ./.build-fuzz/release/convtour-fuzz .build-fuzz/corpus/$(TARGET) \
		.build-fuzz/seeds/$(TARGET) Fuzz/$(TARGET)/regressions -dict=Fuzz/$(TARGET).dict \
		-max_total_time=$(SECONDS) -timeout=30 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix=Fuzz/$(TARGET)/ -print_final_stats=1

# Install whatever of the system packages is missing.
deps:
	@./.ci/install-deps

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product convtour

# Install the binary, the lessons and the shipped digits under PREFIX.
install: release
	install -d $(PREFIX)/bin $(PREFIX)/share/convtour/Lessons $(PREFIX)/share/convtour/Lessons/data/digits \
	  $(PREFIX)/share/convtour/Lessons/networks
	install -m 755 .build/release/convtour $(PREFIX)/bin/convtour
	install -m 644 Lessons/*.lesson Lessons/README.md $(PREFIX)/share/convtour/Lessons/
	install -m 644 Lessons/data/README.md $(PREFIX)/share/convtour/Lessons/data/
	install -m 644 Lessons/data/digits/*-ubyte $(PREFIX)/share/convtour/Lessons/data/digits/
	install -m 644 Lessons/networks/*.net $(PREFIX)/share/convtour/Lessons/networks/

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

clean:
	rm -rf .build
