# syntax=docker/dockerfile:1
# Ion as one executable on Debian slim.
#
#   docker build -t ion .
#   docker run --rm -p 3000:3000 -e DATABASE_URL=… -e REDIS_URL=… ion            (serve)
#   docker run --rm -e DATABASE_URL=… -e REDIS_URL=… ion migrate                   (any CLI command)
#
# docker-compose.yml runs it with PostgreSQL 15 and Redis 7.

# ---- build: bun compiles src/main.ts (+ worker entry points) into dist/ion ------------------
FROM oven/bun:1.4.4 AS builder
WORKDIR /build
COPY package.json bun.lock bunfig.toml ./
RUN bun install --frozen-lockfile
COPY tsconfig.json ./
COPY scripts ./scripts
COPY migrations ./migrations
COPY public ./public
COPY src ./src
RUN bun run build && ./dist/ion --help >/dev/null

# ---- run: glibc + CA certificates (rediss://, smtps://, TLS to PostgreSQL) and the binary ----
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 ion \
 && useradd --system --uid 10001 --gid ion --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ion \
 && mkdir /app
COPY --from=builder /build/dist/ion /usr/local/bin/ion
# The binary reads a .env in its working directory; /app is empty and not writable by ion.
WORKDIR /app
USER ion:ion
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
EXPOSE 3000
# No curl in the image: bash's /dev/tcp sends the request. Healthy = /healthz answers 200.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-3000} && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/ion"]
CMD ["serve"]
