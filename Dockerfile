# syntax=docker/dockerfile:1
# The `probity` binary on debian:bookworm-slim with the libtorch it was built against.
#   docker build -t probity .
#   docker run --rm probity --help
# docker-compose.yml runs it with Postgres, an API replica and workers.

FROM rust:1.95-bookworm AS builder
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-pip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# libtorch (PyPI torch==2.13.0 + the CUDA runtime wheels libtorch_cpu links against, ~1.2 GB) in
# its own layer, rebuilt only when the script changes. build.rs bakes $LIBTORCH/lib into the
# binary as its rpath, so the runtime stage must keep libtorch at this same path.
# (pip --target leaves the system Python alone; PIP_BREAK_SYSTEM_PACKAGES only silences PEP 668.)
ENV PROBITY_LIBTORCH_DIR=/opt/libtorch
COPY scripts/setup-libtorch scripts/setup-libtorch
RUN PIP_BREAK_SYSTEM_PACKAGES=1 scripts/setup-libtorch
ENV LIBTORCH=/opt/libtorch/torch

COPY Cargo.toml Cargo.lock build.rs ./
COPY migrations migrations
COPY crates crates
COPY web web
COPY openapi openapi
COPY src src
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin probity \
 && cp target/release/probity /usr/local/bin/probity

# The binary links libtorch_cpu and libc10 only (CPU); libtorch_cpu needs libgomp (torch/lib) and
# libcudart/libcupti (nvidia/cu13/lib, found through its $ORIGIN rpath). Drop the CUDA and Python
# libraries it never loads; the `probity --version` check below fails the build if that changes.
RUN rm -f /opt/libtorch/torch/lib/libtorch_cuda*.so /opt/libtorch/torch/lib/libtorch_python.so

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=builder /opt/libtorch/torch/lib /opt/libtorch/torch/lib
COPY --from=builder /opt/libtorch/nvidia /opt/libtorch/nvidia
COPY --from=builder /usr/local/bin/probity /usr/local/bin/probity
# Loads every shared library the binary needs: a missing one fails here, not at run time.
RUN probity --version

RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin probity \
 && mkdir -p /data \
 && chown probity:probity /data
USER probity
WORKDIR /data
ENV PROBITY_DATA_DIR=/data \
    PROBITY_BIND=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["probity"]
CMD ["serve"]
