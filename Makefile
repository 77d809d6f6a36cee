# kubeid — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

SWIFT_FLAGS := --explicit-target-dependency-import-check error
DATA_DIR ?= ./.kubeid

.PHONY: run test build build-tests swift-test interop bench deps clean

## run: build and start the issuer on ./.kubeid with a demo tenant (Ctrl-C stops it)
run:
	@.ci/install-deps.sh build
	swift build $(SWIFT_FLAGS) --product kubeid
	.build/debug/kubeid serve --data-dir $(DATA_DIR) --demo

## test: every test — Swift tests, then the interop tests with real Microsoft clients. Both run
## with a private PostgreSQL server (.ci/with-postgres.sh), stopped at the end even on failure;
## the interop tests run even when a Swift test failed, and `make test` fails if either did.
test: build-tests
	.ci/with-postgres.sh $(MAKE) --no-print-directory -k swift-test interop

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

## bench: throughput and latency benchmarks (not part of `make test`)
bench:
	@.ci/install-deps.sh bench
	swift build $(SWIFT_FLAGS) -c release --product kubeid
	KUBEID_BIN=$(CURDIR)/.build/release/kubeid Benchmarks/metrics-cost.sh   # client credentials, metrics off and on
	KUBEID_BIN=$(CURDIR)/.build/release/kubeid .ci/with-postgres.sh Benchmarks/store-comparison.sh
	swift build $(SWIFT_FLAGS) -c release --static-swift-stdlib --product kubelogin
	KUBELOGIN_BIN=$(CURDIR)/.build/release/kubelogin Benchmarks/kubelogin-cache-hit.sh

clean:
	rm -rf .build
