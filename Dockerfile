# Baton as a user runs it: built with tsc, started with node. Configure it with environment
# variables (see README); without DATABASE_URL it runs on the embedded PGlite in /data.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY ui/package.json ui/
COPY packages/worker/package.json packages/worker/
COPY patches patches
# No sources yet in this layer: the build below is the one that counts, not npm's prepare. The
# scripts skipped include the postinstall that applies patches/ (amqplib's header depth limit).
RUN npm ci --no-audit --no-fund --ignore-scripts && npx patch-package --error-on-fail
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts/build.mjs scripts/build-state.mjs scripts/
COPY packages/worker packages/worker
COPY src src
COPY migrations migrations
COPY test/bench test/bench
COPY test/helpers test/helpers
COPY test/fakes test/fakes
COPY ui ui
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
# A container is reached from outside it: listen on every interface, and so with authentication on.
ENV NODE_ENV=production DATA_DIR=/data DEFINITIONS_DIR=/app/definitions HOST=0.0.0.0
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/ui/dist ui/dist
# The demo worker runs on the worker SDK: node_modules/@baton/worker links here.
COPY --from=build /app/packages/worker/package.json packages/worker/
COPY --from=build /app/packages/worker/dist packages/worker/dist
COPY package.json ./
COPY definitions definitions
# The embedded database's directory, which user node cannot create at the root.
RUN mkdir /data && chown node:node /data
VOLUME /data
EXPOSE 3000
USER node
CMD ["node", "dist/src/main.js"]
