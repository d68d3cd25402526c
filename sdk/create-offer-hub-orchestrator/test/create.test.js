import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../create.js', import.meta.url));

function run(args, cwd) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
}

function withTempDir(body) {
  const dir = mkdtempSync(join(tmpdir(), 'create-offer-hub-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseEnv(text) {
  return Object.fromEntries(
    text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    }),
  );
}

test('scaffolds compose.yaml, .env, .env.example and a README into the named folder', () => withTempDir((dir) => {
  const result = run(['my-hub'], dir);
  assert.equal(result.status, 0, result.stderr);
  const hub = join(dir, 'my-hub');
  assert.deepEqual(readdirSync(hub).sort(), ['.env', '.env.example', '.gitignore', 'README.md', 'compose.yaml']);
  assert.equal(readFileSync(join(hub, '.gitignore'), 'utf8'), '.env\n');
  assert.equal(statSync(join(hub, '.env')).mode & 0o077, 0, '.env is readable by others');
}));

test('compose.yaml runs the orchestrator, PostgreSQL and Redis, each with a health check and a restart policy', () => withTempDir((dir) => {
  assert.equal(run(['hub'], dir).status, 0);
  const compose = readFileSync(join(dir, 'hub', 'compose.yaml'), 'utf8');
  for (const service of ['offerhub', 'postgres', 'redis']) {
    assert.match(compose, new RegExp(`^  ${service}:$`, 'm'), `no ${service} service`);
  }
  assert.equal(compose.match(/^    healthcheck:$/gm)?.length, 3);
  assert.equal(compose.match(/^    restart: unless-stopped$/gm)?.length, 3);
  assert.match(compose, /condition: service_healthy/);
  assert.match(compose, /GET \/api\/v1\/health/);
  // The password is passed on its own, never interpolated into the URL.
  assert.match(compose, /DATABASE_URL: postgresql:\/\/offerhub@postgres:5432\/offerhub$/m);
  assert.match(compose, /DATABASE_PASSWORD: \$\{POSTGRES_PASSWORD/);
}));

test('.env holds fresh random secrets, different on every run; .env.example holds none', () => withTempDir((dir) => {
  assert.equal(run(['a'], dir).status, 0);
  assert.equal(run(['b'], dir).status, 0);
  const a = parseEnv(readFileSync(join(dir, 'a', '.env'), 'utf8'));
  const b = parseEnv(readFileSync(join(dir, 'b', '.env'), 'utf8'));
  const secrets = ['OFFERHUB_MASTER_KEY', 'POSTGRES_PASSWORD', 'REDIS_PASSWORD'];
  for (const name of secrets) {
    assert.match(a[name], /^[0-9a-f]{64}$/, name);
    assert.notEqual(a[name], b[name], `${name} repeats across runs`);
  }
  assert.equal(new Set(secrets.map((name) => a[name])).size, 3, 'two secrets are equal');

  const example = parseEnv(readFileSync(join(dir, 'a', '.env.example'), 'utf8'));
  assert.deepEqual(Object.keys(example), Object.keys(a));
  for (const name of secrets) {
    assert.equal(example[name], '', `${name} has a value in .env.example`);
  }
}));

test('the README gives the next three steps: start, create an API key, install the SDK', () => withTempDir((dir) => {
  assert.equal(run(['hub'], dir).status, 0);
  const readme = readFileSync(join(dir, 'hub', 'README.md'), 'utf8');
  assert.match(readme, /1\. Start it[\s\S]*docker compose up -d/);
  assert.match(readme, /2\. Create an API key[\s\S]*keys create --name backend/);
  assert.match(readme, /3\. Install the SDK[\s\S]*npm install @offerhub\/sdk/);
}));

test('refuses a folder that already has files, and leaves it alone', () => withTempDir((dir) => {
  assert.equal(run(['hub'], dir).status, 0);
  const before = readFileSync(join(dir, 'hub', '.env'), 'utf8');
  const again = run(['hub'], dir);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already exists and is not empty/);
  assert.equal(readFileSync(join(dir, 'hub', '.env'), 'utf8'), before);
}));

test('docker compose accepts the file', (t) => withTempDir((dir) => {
  if (spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status !== 0) {
    t.skip('SKIPPED: the docker compose plugin is not installed');
    return;
  }

  assert.equal(run(['hub'], dir).status, 0);
  const config = spawnSync('docker', ['compose', 'config', '--quiet'], { cwd: join(dir, 'hub'), encoding: 'utf8' });
  assert.equal(config.status, 0, config.stderr);
}));
