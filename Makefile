# obdir: `make run` starts the directory with the demo seed; `make test` runs every test.

CARGO ?= cargo
SEED ?= fixtures/demo.json

.PHONY: run test deps build lint crash soak

# The openssl command line (the tests' TPP client) and OpenSSL's headers (for
# the openssl crate). Installed from Debian's packages when missing.
deps:
	@command -v openssl >/dev/null 2>&1 && pkg-config --exists openssl 2>/dev/null || { \
	  echo "installing openssl, libssl-dev and pkg-config"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq openssl libssl-dev pkg-config; }

build: deps
	$(CARGO) build --release

run: build
	$(CARGO) run --release -- serve --seed $(SEED)

test: deps
	$(CARGO) test

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings

# kill -9 under load, 20 times; every acknowledged write must survive.
crash: build
	$(CARGO) run --release --example crash -- 20

# Ten minutes of mixed traffic: no 5xx, resident memory growth under 10 %.
soak: build
	$(CARGO) run --release --example soak -- 600
