# The annotation-analytics service. Build from the repository root. Two images (build targets):
#
#   docker build -t annotation-analytics .                          # `embedded` (the default):
#       the service with its embedded ClickHouse (chDB) under /data; runs on linux/amd64 only
#       (the lock file carries chDB's linux-x64-gnu build, and chDB needs glibc)
#   docker build --target server -t annotation-analytics:server .   # `server`: without chDB, for a
#       ClickHouse server (CLICKHOUSE_URL); any platform Node runs on (linux/amd64, linux/arm64)
#
# The server image leaves out chDB's package (about 560 MB of the 620 MB of production modules);
# deploy/docker-compose.yml builds it. Without CLICKHOUSE_URL it stops at start with a line saying so.

# Node 24 is the current LTS line. Debian, not Alpine: chDB's native engine needs glibc.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json vite.config.ts ./
COPY web ./web
COPY src ./src
RUN npm run build && npm prune --omit=dev

# The same modules without the embedded engine: the service loads chDB only when it opens an
# embedded store, so with CLICKHOUSE_URL it never asks for it.
FROM build AS build-server
RUN rm -rf node_modules/chdb node_modules/@chdb

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=8080 \
    HOST=0.0.0.0
WORKDIR /app
# Everything the service keeps (embedded store, spool, exports, accounts file) is under DATA_DIR.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The admin command runs in the same container: docker compose exec analytics node dist/cli/admin.js --help
CMD ["node", "dist/main.js"]

FROM runtime AS server
COPY --from=build-server /app/package.json ./
COPY --from=build-server /app/node_modules ./node_modules
COPY --from=build-server /app/dist ./dist

# The default target (the last stage): with chDB.
FROM runtime AS embedded
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
