# MentorMatchr from source: `docker build -t mentormatchr .`, then see compose.yaml.

# Build: the production dependencies, with better-sqlite3's addon compiled from source here (no
# prebuilt binary is downloaded), against this image's Node.
FROM node:24-slim AS build
RUN apt-get update \
 && apt-get install --yes --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV npm_config_build_from_source=true
COPY package.json package-lock.json .prebuild-installrc ./
RUN npm ci --omit=dev && npm cache clean --force
COPY app.ts server.ts tsconfig.json ./
COPY binary ./binary
COPY commands ./commands
COPY db ./db
COPY domain ./domain
COPY plugins ./plugins
COPY routes ./routes
COPY schemas ./schemas
COPY web ./web

# Run: the same Node, without the compilers, as an unprivileged user.
FROM node:24-slim
RUN groupadd --system mentormatchr \
 && useradd --system --gid mentormatchr --home-dir /app --shell /usr/sbin/nologin mentormatchr \
 && mkdir /data && chown mentormatchr:mentormatchr /data
WORKDIR /app
COPY --from=build /app /app
# MALLOC_MMAP_THRESHOLD_: large freed blocks go back to the system (commands/node-flags.ts says why).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=5000 \
    DATABASE_PATH=/data/mentormatchr.db \
    LOG_FORMAT=json \
    MALLOC_MMAP_THRESHOLD_=131072
# The database, its WAL and the generated token secret live here: keep it on a volume.
VOLUME ["/data"]
USER mentormatchr
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 5000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The server and its commands share one entry: `docker run … mentormatchr backup /data/backup.db`.
ENTRYPOINT ["node", "--max-semi-space-size=8", "--require", "tsx/preflight", "--import", "tsx", "server.ts"]
CMD ["serve"]
