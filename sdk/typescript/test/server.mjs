// Starts the real OfferHub.Lite binary (SQLite, simulated providers) on a free loopback port.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const MASTER_KEY = "sdk_test_master_key_0123456789abcdef";
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The server dll: OFFERHUB_SERVER_DLL (set by the dotnet test that runs this suite), else a fresh dotnet build. */
function serverDll() {
  if (process.env.OFFERHUB_SERVER_DLL) return process.env.OFFERHUB_SERVER_DLL;
  const dll = join(repo, "bin", "Debug", "net10.0", "OfferHub.Lite.dll");
  const build = spawnSync("dotnet", ["build", join(repo, "OfferHub.Lite.csproj"), "-v", "q", "--nologo"], { stdio: "inherit" });
  if (build.status !== 0 || !existsSync(dll)) throw new Error("dotnet build of the server failed");
  return dll;
}

let dll;

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/** A server process; `restart()` kills it and starts it again on the same port and database. */
export async function startServer() {
  dll ??= serverDll();
  const dir = mkdtempSync(join(tmpdir(), "offerhub-sdk-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    ASPNETCORE_ENVIRONMENT: "Bench",
    ASPNETCORE_URLS: baseUrl,
    DATABASE_URL: "sqlite://" + join(dir, "offerhub.db"),
    OFFERHUB_MASTER_KEY: MASTER_KEY,
    OfferHub__SandboxCredits: "true",
    PUBLIC_BASE_URL: baseUrl,
    Logging__LogLevel__Default: "Warning",
    OfferHub__RateLimits__PerApiKeyPerMinute: "1000000",
    OfferHub__Events__HeartbeatSeconds: "1",
    OfferHub__Events__PollIntervalMs: "200",
    OfferHub__Events__RetryHintMs: "200",
    OfferHub__Webhooks__PollIntervalMs: "100",
  };
  let child;
  const server = {
    baseUrl,
    async start() {
      child = spawn("dotnet", [dll], { cwd: dirname(dll), env, stdio: ["ignore", "inherit", "inherit"] });
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        try {
          if ((await fetch(baseUrl + "/api/v1/health")).ok) return;
        } catch {
          // not listening yet
        }
        if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error("server did not become healthy in 90 s");
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    async restart() {
      await server.stop();
      await server.start();
    },
    async dispose() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    /** Raw call with the master key, for the simulators' control endpoints. */
    async raw(method, path, body) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${MASTER_KEY}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
      return text ? JSON.parse(text) : null;
    },
  };
  await server.start();
  return server;
}

export async function eventually(probe, check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}
