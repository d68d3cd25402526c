#!/usr/bin/env node
// `npm create offer-hub-orchestrator@latest my-hub`: writes a folder that `docker compose up`
// turns into a running orchestrator. No dependencies: only node's own modules.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_IMAGE = 'offerhub-lite:latest';

/** 32 random bytes as hex: URL-safe and shell-safe, so no quoting can go wrong. */
export function secret() {
  return randomBytes(32).toString('hex');
}

export function composeYaml() {
  return `# OfferHub.Lite: the orchestrator, PostgreSQL and Redis. Secrets come from .env.
#   docker compose up -d
services:
  offerhub:
    image: \${OFFERHUB_IMAGE:?set OFFERHUB_IMAGE in .env}
    env_file: .env
    environment:
      # The password travels on its own, so no character in it can break the URL.
      DATABASE_URL: postgresql://offerhub@postgres:5432/offerhub
      DATABASE_PASSWORD: \${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}
      REDIS_URL: redis://:\${REDIS_PASSWORD:?set REDIS_PASSWORD in .env}@redis:6379
    ports:
      - "\${OFFERHUB_PORT:-4000}:4000"
    depends_on:
      postgres:
        condition: service_healthy
      redis:
        condition: service_healthy
    healthcheck:
      test: ["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/4000 && printf 'GET /api/v1/health/ready HTTP/1.0\\\\r\\\\n\\\\r\\\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
      interval: 15s
      timeout: 3s
      start_period: 20s
      retries: 3
    stop_grace_period: 10s
    restart: unless-stopped

  postgres:
    image: postgres:16
    environment:
      POSTGRES_USER: offerhub
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}
      POSTGRES_DB: offerhub
    volumes:
      - postgres-data:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U offerhub -d offerhub"]
      interval: 5s
      timeout: 3s
      retries: 10
    restart: unless-stopped

  redis:
    image: redis:7
    command: ["redis-server", "--requirepass", "\${REDIS_PASSWORD:?set REDIS_PASSWORD in .env}"]
    environment:
      REDISCLI_AUTH: \${REDIS_PASSWORD:?set REDIS_PASSWORD in .env}
    volumes:
      - redis-data:/data
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 5s
      timeout: 3s
      retries: 10
    restart: unless-stopped

volumes:
  postgres-data:
  redis-data:
`;
}

/** The .env file; `values` holds the secrets (empty in .env.example). */
export function envFile({ masterKey, postgresPassword, redisPassword, image }) {
  return `# OfferHub.Lite settings, read by docker compose. Keep this file out of version control.

# The orchestrator image (build it from the OfferHub.Lite repository: docker build -t ${DEFAULT_IMAGE} .).
OFFERHUB_IMAGE=${image}
OFFERHUB_PORT=4000

# Manages API keys and mints tokens: keep it secret, at least 16 characters.
OFFERHUB_MASTER_KEY=${masterKey}
POSTGRES_PASSWORD=${postgresPassword}
REDIS_PASSWORD=${redisPassword}

# sandbox (simulated or sandbox providers, ohk_test_ keys) or production (ohk_live_ keys, real providers).
OFFERHUB_ENV=sandbox
# Where browsers and the providers reach this instance.
PUBLIC_BASE_URL=http://localhost:4000
# simulated uses the built-in Airtm and Trustless Work simulators; see the orchestrator's README for real credentials.
AIRTM_MODE=simulated
TRUSTLESS_MODE=simulated
LOG_LEVEL=Information
`;
}

export function readme(name) {
  return `# ${name}

A self-hosted OfferHub.Lite payments orchestrator: the orchestrator, PostgreSQL and Redis,
run by Docker Compose. \`.env\` holds freshly generated secrets (keep it private; \`.env.example\`
shows its shape without them). The image named by \`OFFERHUB_IMAGE\` must exist: build it from
the OfferHub.Lite repository with \`docker build -t ${DEFAULT_IMAGE} .\`.

## Next three steps

1. Start it, and wait until \`docker compose ps\` says \`healthy\`:

   \`\`\`sh
   docker compose up -d
   \`\`\`

2. Create an API key for your backend (it is shown once):

   \`\`\`sh
   docker compose exec offerhub dotnet OfferHub.Lite.dll keys create --name backend --scopes read,write
   \`\`\`

3. Install the SDK in your backend and point it at \`http://localhost:4000\` with that key:

   \`\`\`sh
   npm install @offerhub/sdk
   \`\`\`

The API reference is served at <http://localhost:4000/docs>.
`;
}

/** Writes the project into `target`; refuses a folder that already has files. */
export function scaffold(target, { image = DEFAULT_IMAGE } = {}) {
  const dir = resolve(target);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(`${target} already exists and is not empty`);
  }

  mkdirSync(dir, { recursive: true });
  const values = { masterKey: secret(), postgresPassword: secret(), redisPassword: secret(), image };
  const files = {
    'compose.yaml': composeYaml(),
    '.env': envFile(values),
    '.env.example': envFile({ masterKey: '', postgresPassword: '', redisPassword: '', image }),
    '.gitignore': '.env\n',
    'README.md': readme(basename(dir)),
  };
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(resolve(dir, name), content, { mode: name === '.env' ? 0o600 : 0o644 });
  }

  return { dir, files: Object.keys(files) };
}

function usage() {
  return 'usage: npm create offer-hub-orchestrator@latest <folder> [-- --image name:tag]';
}

function main(argv) {
  const args = [...argv];
  let image = DEFAULT_IMAGE;
  let target;
  while (args.length > 0) {
    const arg = args.shift();
    if (arg === '--help' || arg === '-h') {
      console.log(usage());
      return 0;
    }

    if (arg === '--image') {
      image = args.shift();
      if (!image) {
        console.error('create-offer-hub-orchestrator: --image needs a value');
        return 1;
      }
    } else if (target === undefined && !arg.startsWith('-')) {
      target = arg;
    } else {
      console.error(`create-offer-hub-orchestrator: unexpected argument ${arg}\n${usage()}`);
      return 1;
    }
  }

  target ??= 'offer-hub';
  try {
    const { dir, files } = scaffold(target, { image });
    console.log(`Created ${dir}: ${files.join(', ')}`);
    console.log(`Next: cd ${target} && docker compose up -d   (then see README.md)`);
    return 0;
  } catch (error) {
    console.error(`create-offer-hub-orchestrator: ${error.message}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
