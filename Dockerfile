# One image for the web server and the workers (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# better-sqlite3 and argon2 build or fetch native binaries during npm ci, as does native/linalg.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ ca-certificates && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts/generate-clients.mjs scripts/build-native.mjs scripts/
# The optional native linalg kernel (npm ci's install step builds it; without it, WebAssembly).
COPY native native
COPY prisma prisma
COPY prisma.config.ts ./
RUN npm ci
COPY . .
RUN npx next build
ENV HOST=0.0.0.0 PORT=3000 NODE_ENV=production
EXPOSE 3000
CMD ["npm", "run", "web"]
