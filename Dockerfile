# pharmaone-graph gateway. Node runs the TypeScript sources directly (type stripping): no build
# step, so the image is the dependency install plus src/ and schema/.
# Reviewed, not built here (no Docker engine on the development machines).

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The `node` devDependency pins Node 24 for npm scripts; the image already is Node 24, so dev
# dependencies (and that pin) are left out.
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PORT=4000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY schema ./schema
COPY src ./src
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Run node directly (not npm start): signals reach the process, and the sandbox stays off unless
# PHARMAONE_BASE_URL is left unset on purpose.
CMD ["node", "src/main.ts"]
