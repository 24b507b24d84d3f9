# The annotation-analytics service. Build from the repository root:
#   docker build -t annotation-analytics .
# Embedded store (one process): docker run -p 8080:8080 -v analytics-data:/data annotation-analytics
# With a ClickHouse server: set CLICKHOUSE_URL (see deploy/docker-compose.yml).

# Node 24 is the current LTS line. Debian, not Alpine: chDB's native engine needs glibc.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json vite.config.ts ./
COPY web ./web
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=8080 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Everything the service keeps (embedded store, spool, exports, accounts file) is under DATA_DIR.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The admin command runs in the same container: docker compose exec analytics node dist/cli/admin.js --help
CMD ["node", "dist/main.js"]
