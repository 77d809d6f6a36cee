# kubeid — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

SWIFT_FLAGS := --explicit-target-dependency-import-check error
DATA_DIR ?= ./.kubeid
# Where `make install` puts kubeid and kubelogin: $(DESTDIR)$(PREFIX)/bin.
PREFIX ?= /usr/local
DESTDIR ?=
# The version `kubeid --version` prints is the package's version too.
VERSION := $(shell sed -n 's/^ *static let current = "\(.*\)"$$/\1/p' Sources/KubeIDCLI/KubeIDCommand.swift)
# As shipped: optimised, the Swift runtime linked in (the binaries need no toolchain), OpenSSL,
# libjwt and SQLite from Debian.
RELEASE_FLAGS := $(SWIFT_FLAGS) -c release --static-swift-stdlib
RELEASE_BIN = $(shell swift build $(RELEASE_FLAGS) --show-bin-path)
PACKAGE = .build/kubeid_$(VERSION)_$(shell dpkg --print-architecture).deb

.PHONY: run test build build-tests swift-test interop bench fuzz fuzz-smoke deps clean release install package package-test

## run: build and start the issuer on ./.kubeid with a demo tenant (Ctrl-C stops it)
run:
	@.ci/install-deps.sh build
	swift build $(SWIFT_FLAGS) --product kubeid
	.build/debug/kubeid serve --data-dir $(DATA_DIR) --demo

## test: every test — Swift tests, then the interop tests with real Microsoft clients. Both run
## with a private PostgreSQL server (.ci/with-postgres.sh), stopped at the end even on failure;
## the interop tests run even when a Swift test failed, and `make test` fails if either did.
## Last, the Debian package is built (release builds of both binaries), unpacked and run
## (package-test).
test: build-tests
	.ci/with-postgres.sh $(MAKE) --no-print-directory -k swift-test interop package-test

build:
	@.ci/install-deps.sh build
	swift build $(SWIFT_FLAGS)

build-tests:
	@.ci/install-deps.sh test
	swift build $(SWIFT_FLAGS) --build-tests

swift-test:
	Tests/Interop/setup-venv.sh   # the end-to-end tests' headless-browser driver
	swift test $(SWIFT_FLAGS) --skip-build

interop:
	KUBEID_BIN=$(CURDIR)/.build/debug/kubeid Tests/Interop/run.sh

## fuzz: every parser an attacker can reach, FUZZ_SECONDS each (default 60) with libFuzzer and
## AddressSanitizer, from the seed corpus in Tests/Fuzz/Corpus (docs/fuzzing.md). A separate debug
## build (.build/fuzz). `make fuzz FUZZ_TARGETS="jwt form"` runs some.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz:
	@.ci/install-deps.sh build
	# swiftc keeps only the last -sanitize= it is given, so SwiftPM's two flags alone leave the Swift
	# code with ASan but no coverage counters; the combined flag after them gives it both.
	KUBEID_FUZZ=1 swift build --scratch-path .build/fuzz --sanitize fuzzer --sanitize address \
		-Xswiftc -sanitize=fuzzer,address --product KubeIDFuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/Fuzz/run.sh .build/fuzz/debug/KubeIDFuzz $(FUZZ_TARGETS)

## fuzz-smoke: each fuzz target for 10 s (CI)
fuzz-smoke:
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=10

## bench: throughput and latency benchmarks (not part of `make test`)
bench:
	@.ci/install-deps.sh bench
	swift build $(SWIFT_FLAGS) -c release --product kubeid
	KUBEID_BIN=$(CURDIR)/.build/release/kubeid Benchmarks/metrics-cost.sh   # client credentials, metrics off and on
	KUBEID_BIN=$(CURDIR)/.build/release/kubeid Benchmarks/webhooks.sh       # TokenReview, SubjectAccessReview vs /healthz
	KUBEID_BIN=$(CURDIR)/.build/release/kubeid .ci/with-postgres.sh Benchmarks/store-comparison.sh
	swift build $(SWIFT_FLAGS) -c release --static-swift-stdlib --product kubelogin
	KUBELOGIN_BIN=$(CURDIR)/.build/release/kubelogin Benchmarks/kubelogin-cache-hit.sh

## release: kubeid and kubelogin as shipped (release, Swift runtime linked statically)
release:
	@.ci/install-deps.sh build
	swift build $(RELEASE_FLAGS) --product kubeid
	swift build $(RELEASE_FLAGS) --product kubelogin

## install: `make install [PREFIX=/usr/local] [DESTDIR=]` copies both binaries (stripped) to $(DESTDIR)$(PREFIX)/bin
install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -s -m 0755 $(RELEASE_BIN)/kubeid $(RELEASE_BIN)/kubelogin $(DESTDIR)$(PREFIX)/bin/
	@echo "Installed kubeid and kubelogin in $(DESTDIR)$(PREFIX)/bin"

## package: the Debian package, .build/kubeid_<version>_<arch>.deb (systemd unit, kubeid user, man pages)
package: release
	@.ci/install-deps.sh package
	.ci/package/build-deb.sh $(RELEASE_BIN) $(VERSION) $(PACKAGE)

## package-test: build the package, unpack it into a scratch root and run it (part of `make test`)
package-test: package
	.ci/package/test-deb.sh $(PACKAGE) $(VERSION)

clean:
	rm -rf .build
