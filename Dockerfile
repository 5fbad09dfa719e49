# obdir in a container: the release binary on Debian slim, run as a
# non-root user, its data dir a volume, listening on 0.0.0.0:8080 with the
# demo seed loaded. Build with `make docker` (or `docker build -t obdir .`).

FROM rust:1-bookworm AS build
WORKDIR /src
# libssl-dev and pkg-config come with the image (buildpack-deps).
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY config config
COPY fixtures/demo.json fixtures/demo.json
RUN cargo build --release --locked --bin obdir

FROM debian:bookworm-slim
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends libssl3 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data obdir \
 && mkdir /data && chown obdir /data
COPY --from=build /src/target/release/obdir /usr/local/bin/obdir
COPY fixtures/demo.json /usr/share/obdir/demo.json
USER obdir
VOLUME /data
ENV OBDIR_BIND=0.0.0.0:8080 \
    OBDIR_DATA_DIR=/data
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["obdir"]
CMD ["serve", "--seed", "/usr/share/obdir/demo.json"]
