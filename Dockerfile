# One image for the controller and the agent: the linux binary on distroless (glibc, CA
# certificates, no shell), as the non-root user 65532.
#   npm run build                                   # or: npm run release, then unpack
#   docker build -t loadr .                         # linux/amd64 from dist/loadr-linux-x64
#   docker build --build-arg BINARY=dist/loadr-linux-arm64 --platform linux/arm64 -t loadr .
#   docker run --rm loadr version --json
#   docker run --rm -p 7625:7625 -p 7626:7626 -v loadr-data:/var/lib/loadr loadr controller \
#     --bind 0.0.0.0:7625 --http 0.0.0.0:7626 --data-dir /var/lib/loadr   # with LOADR_API_TOKEN and LOADR_JOIN_TOKEN set
# BASE may name any image with glibc (the binary links libc, libm, libpthread, libdl only).
ARG BASE=gcr.io/distroless/cc-debian12:nonroot
FROM ${BASE}
ARG BINARY=dist/loadr-linux-x64
COPY --chmod=0755 ${BINARY} /usr/local/bin/loadr
USER 65532:65532
WORKDIR /home/nonroot
# The controller's gRPC (agents) and HTTP API ports.
EXPOSE 7625 7626
ENTRYPOINT ["/usr/local/bin/loadr"]
CMD ["--help"]
