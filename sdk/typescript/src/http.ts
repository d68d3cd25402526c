import { errorFromResponse, OfferHubError, RateLimitError } from "./errors.js";

export interface OfferHubOptions {
  /** Where the orchestrator runs, e.g. http://localhost:4000 (the /api/v1 prefix is added). */
  baseUrl: string;
  /** An API key (server side) or a short-lived user-bound token (browser). */
  apiKey: string;
  /** A fetch implementation; the global one by default. */
  fetch?: typeof fetch;
  /** Deadline of one attempt, in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Further attempts after the first, for retryable failures only (default 2). */
  maxRetries?: number;
}

export interface RequestOptions {
  /** The Idempotency-Key of a mutating call; a fresh one per call when absent. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

type Query = Record<string, string | number | boolean | readonly string[] | null | undefined>;

export interface CallSpec {
  method: "GET" | "POST" | "DELETE";
  path: string;
  query?: Query | undefined;
  body?: unknown;
  /** Sends an Idempotency-Key (every mutating call of the money flow). */
  idempotent?: boolean;
  options?: RequestOptions | undefined;
}

const retryableCodes = new Set(["IDEMPOTENCY_KEY_IN_PROGRESS"]);

export function newIdempotencyKey(): string {
  const webCrypto = (globalThis as { crypto?: { randomUUID?: () => string; getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (webCrypto?.randomUUID) return webCrypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (webCrypto?.getRandomValues) webCrypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Exponential backoff with full jitter: 0..min(cap, base·2^attempt). */
export function backoffMs(attempt: number, baseMs = 200, capMs = 5_000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const url = new URL(baseUrl.replace(/\/+$/, "") + "/api/v1" + path);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    url.searchParams.set(name, Array.isArray(value) ? value.join(",") : String(value));
  }
  return url.toString();
}

/** One logical call: the same Idempotency-Key on every attempt; retries only network errors,
 * 5xx, 429 (after Retry-After) and 409 IDEMPOTENCY_KEY_IN_PROGRESS. */
export class HttpCore {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetchImpl: typeof fetch;
  readonly timeoutMs: number;
  readonly maxRetries: number;

  constructor(options: OfferHubOptions) {
    if (!options.baseUrl) throw new TypeError("baseUrl is required");
    if (!options.apiKey) throw new TypeError("apiKey is required");
    this.baseUrl = options.baseUrl;
    this.apiKey = options.apiKey;
    const globalFetch = (globalThis as { fetch?: typeof fetch }).fetch;
    const chosen = options.fetch ?? globalFetch;
    if (!chosen) throw new TypeError("no fetch available: pass options.fetch");
    // A bare global fetch must not be called as a method of another object (browsers refuse).
    this.fetchImpl = options.fetch ?? ((input, init) => chosen(input, init));
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 2;
  }

  async call<T>(spec: CallSpec): Promise<T> {
    const key = spec.idempotent ? spec.options?.idempotencyKey ?? newIdempotencyKey() : undefined;
    const url = buildUrl(this.baseUrl, spec.path, spec.query);
    for (let attempt = 0; ; attempt++) {
      const signal = spec.options?.signal;
      let response: Response;
      try {
        response = await this.attempt(url, spec, key, signal);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (attempt >= this.maxRetries) {
          throw new OfferHubError("NETWORK_ERROR", 0, `Could not reach OfferHub: ${(error as Error).message}`);
        }
        await sleep(backoffMs(attempt), signal);
        continue;
      }

      const text = await response.text();
      const body: unknown = text.length > 0 ? safeJson(text) : null;
      if (response.ok) return body as T;
      const error = errorFromResponse(response.status, body, response.headers.get("x-request-id"));
      if (attempt >= this.maxRetries || !isRetryable(error)) throw error;
      await sleep(retryDelayMs(error, response, attempt), signal);
    }
  }

  private async attempt(url: string, spec: CallSpec, key: string | undefined, signal: AbortSignal | undefined): Promise<Response> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    const onAbort = () => timeout.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: "application/json" };
    if (key) headers["idempotency-key"] = key;
    const init: RequestInit = { method: spec.method, headers, signal: timeout.signal };
    if (spec.body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(spec.body);
    }
    try {
      const response = await this.fetchImpl(url, init);
      // The body is read under the same deadline, so a connection dropped mid-answer retries too.
      const buffered = await response.arrayBuffer();
      return new Response(buffered.byteLength > 0 ? buffered : null, { status: response.status, headers: response.headers });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRetryable(error: OfferHubError): boolean {
  return error.status >= 500 || error.status === 429 || (error.status === 409 && retryableCodes.has(error.code));
}

function retryDelayMs(error: OfferHubError, response: Response, attempt: number): number {
  if (error instanceof RateLimitError || error.status === 429) {
    const header = Number(response.headers.get("retry-after"));
    const seconds = Number.isFinite(header) && header > 0 ? header : error instanceof RateLimitError ? error.retryAfter ?? 1 : 1;
    return Math.min(seconds, 60) * 1000;
  }
  return backoffMs(attempt);
}
