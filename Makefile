# obdir: `make run` starts the directory with the demo seed; `make test` runs every test.

CARGO ?= cargo
SEED ?= fixtures/demo.json

.PHONY: run test deps pkilint build lint crash soak bench bench-deps bench-load fuzz docker first-run

# The openssl and curl command lines (the tests' TPP clients, over TLS
# too), OpenSSL's headers (for the openssl crate) and Chromium (the
# console's browser test). Installed from Debian's packages when missing.
deps:
	@command -v openssl >/dev/null 2>&1 && pkg-config --exists openssl 2>/dev/null && command -v curl >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 || { \
	  echo "installing openssl, libssl-dev, pkg-config, curl and chromium"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq openssl libssl-dev pkg-config curl chromium; }

# pkilint (RFC 5280 lints of what the CA signs), pinned, in a virtualenv
# under target/; python3's venv module comes from Debian when missing.
PKILINT_VERSION = 0.13.3
pkilint:
	@target/pkilint/bin/pip show pkilint 2>/dev/null | grep -qx "Version: $(PKILINT_VERSION)" || { \
	  echo "installing pkilint $(PKILINT_VERSION)"; \
	  python3 -m venv target/pkilint 2>/dev/null || { \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3 python3-venv && \
	    python3 -m venv target/pkilint; }; \
	  target/pkilint/bin/pip install -q "pkilint==$(PKILINT_VERSION)"; }

build: deps
	$(CARGO) build --release

# The dev profile: the build `make test` uses too, so neither compiles
# anything the other has (see `resolver` in Cargo.toml). The release build
# is for the benchmarks and the proof runs.
run: deps
	$(CARGO) run -- serve --seed $(SEED)

test: deps pkilint
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

# The peers the benchmarks measure obdir against: nginx (static JWKS), cfssl
# (a peer CA), wrk (the load tool). Installed from Debian's packages.
bench-deps: deps
	@command -v nginx >/dev/null 2>&1 && command -v cfssl >/dev/null 2>&1 && command -v wrk >/dev/null 2>&1 || { \
	  echo "installing nginx, golang-cfssl and wrk"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx golang-cfssl wrk; }

# Side-by-side figures, written to docs/benchmarks.md. Never part of `make test`.
bench: build bench-deps bench-load
	$(CARGO) run --release --example bench -- --out docs/benchmarks.md

# A data dir holding 100,000 certificates, for the scale figures (kept in
# target/ and reused while it holds them).
bench-load: build
	$(CARGO) run --release --example bench_load -- --certificates 100000 --data-dir target/bench-load

# Every fuzz target for FUZZ_SECONDS each; any crash fails the run.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run

# A fresh clone to `make run` healthy to the README's walk-through, timed
# (the figures in the README). Needs port 8080 free.
first-run:
	scripts/first-run

# The container image (Dockerfile), then one run of it until /health
# answers. Needs a Docker engine; nothing else here depends on it.
DOCKER_PORT ?= 18080
docker:
	docker build -t obdir .
	@id=$$(docker run -d --rm -p 127.0.0.1:$(DOCKER_PORT):8080 obdir) && \
	  trap 'docker stop $$id >/dev/null' EXIT && \
	  for i in $$(seq 50); do curl -fsS http://127.0.0.1:$(DOCKER_PORT)/health && echo && exit 0; sleep 0.2; done; \
	  echo "obdir in the container did not answer /health"; docker logs $$id; exit 1
