# Builds briefbot as a static binary (CGO_ENABLED=0: the SQLite driver is
# pure Go) into a distroless image: no shell, no package manager, a non-root
# user, CA certificates and time zone data included.
#
#   docker build -t briefbot --build-arg VERSION=$(git describe --always --dirty) .
#   docker run --rm -p 8080:8080 -v briefbot-data:/data briefbot
#
# Inside the container the server listens on 0.0.0.0:8080 so a published
# port reaches it; publish it on loopback only (-p 127.0.0.1:8080:8080)
# unless Slack or Discord must reach it, because the console has no login.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/briefbot ./cmd/briefbot \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/briefbot /briefbot
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV BRIEFBOT_ADDR=0.0.0.0:8080 \
    BRIEFBOT_DATA_DIR=/data \
    BRIEFBOT_LOG_FORMAT=json
VOLUME /data
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/briefbot"]
CMD ["serve"]
