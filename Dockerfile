# One image for the API and the worker; docker-compose.yml picks the command.
FROM node:20.20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# tsx runs the TypeScript sources (as in development); dev tools are not needed at run time.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY lib ./lib
COPY domain ./domain
COPY api ./api
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY migrations ./migrations
COPY cli ./cli
COPY bin ./bin
COPY scripts/stack/bundle.ts ./scripts/stack/bundle.ts
# Prebuilt workflow bundle: workers start without webpack.
RUN node_modules/.bin/tsx scripts/stack/bundle.ts /app/dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    API_HOST=0.0.0.0 \
    API_PORT=3000
USER node
EXPOSE 3000
CMD ["node_modules/.bin/tsx", "api/server.ts"]
