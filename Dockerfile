# One image for the API and the worker; docker-compose.yml picks the command.
# Build stage: dev dependencies (TypeScript, tsx) compile dist/ and bundle the workflows once.
FROM node:24.11-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The receiver package is an npm workspace: npm ci needs its manifest.
COPY packages/webhooks/package.json ./packages/webhooks/package.json
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY lib ./lib
COPY domain ./domain
COPY api ./api
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY migrations ./migrations
COPY cli ./cli
COPY web ./web
COPY scripts/build.ts ./scripts/build.ts
COPY scripts/stack/bundle.ts ./scripts/stack/bundle.ts
COPY scripts/web/build.ts ./scripts/web/build.ts
RUN node_modules/.bin/tsx scripts/build.ts

# Runtime stage: production dependencies and compiled JavaScript only (no tsx, no TypeScript).
FROM node:24.11-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY packages/webhooks/package.json ./packages/webhooks/package.json
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    API_HOST=0.0.0.0 \
    API_PORT=3000
USER node
EXPOSE 3000
# The API's readiness; the worker service overrides it (docker-compose.yml).
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself is PID 1 (no wrapper forwarding signals): SIGTERM reaches the server directly.
CMD ["node", "--enable-source-maps", "dist/api/server.js"]
