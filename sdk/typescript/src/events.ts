import { createParser, type EventSourceMessage } from "eventsource-parser";
import { errorFromResponse } from "./errors.js";
import { backoffMs, buildUrl, sleep, type HttpCore } from "./http.js";
import { PageRequest, type ListParams } from "./pagination.js";
import type { OfferHubEvent } from "./types.js";

export interface StreamParams {
  /** Event types, with wildcards ("order.*"); all when absent. */
  types?: readonly string[];
  user_id?: string;
  resource_type?: string;
  resource_id?: string;
  /** Start after this event id (replays everything stored after it first). */
  cursor?: string;
  /** Stops the stream; the iterator then ends without an error. */
  signal?: AbortSignal;
}

export class Events {
  constructor(private readonly http: HttpCore) {}

  /** A page of stored events (the JSON form of GET /events). */
  list(params?: ListParams & { types?: readonly string[]; user_id?: string; resource_type?: string; resource_id?: string }) {
    const { types, ...rest } = params ?? {};
    return new PageRequest<OfferHubEvent>(this.http, "/events", { ...rest, ...(types ? { types: types.join(",") } : {}) });
  }

  /** The live stream as an async iterator. It reconnects by itself with Last-Event-ID after a
   * dropped connection or a server restart, and yields each event once, in id order (ids are
   * time-ordered, so anything at or before the last yielded id is a replay and is skipped). */
  async *stream(params: StreamParams = {}): AsyncGenerator<OfferHubEvent, void, undefined> {
    const { signal, cursor, types, ...filters } = params;
    let lastId = cursor;
    let retryMs = 1_000;
    let failures = 0;
    while (!signal?.aborted) {
      const queue: OfferHubEvent[] = [];
      try {
        const controller = new AbortController();
        const onAbort = () => controller.abort(signal?.reason);
        signal?.addEventListener("abort", onAbort, { once: true });
        try {
          const url = buildUrl(this.http.baseUrl, "/events", { ...filters, ...(types ? { types: types.join(",") } : {}) });
          const headers: Record<string, string> = { authorization: `Bearer ${this.http.apiKey}`, accept: "text/event-stream" };
          if (lastId) headers["last-event-id"] = lastId;
          const response = await this.http.fetchImpl(url, { headers, signal: controller.signal });
          if (!response.ok || !response.body) {
            const text = await response.text();
            const error = errorFromResponse(response.status, safeJson(text), response.headers.get("x-request-id"));
            if (response.status < 500 && response.status !== 429) throw error;
            throw Object.assign(new Error(error.message), { retryable: true });
          }

          const parser = createParser({
            onEvent: (message: EventSourceMessage) => {
              if (!message.data) return;
              const event = JSON.parse(message.data) as OfferHubEvent;
              queue.push(event);
            },
            onRetry: (ms: number) => {
              retryMs = ms;
            },
          });
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            parser.feed(decoder.decode(value, { stream: true }));
            while (queue.length > 0) {
              const event = queue.shift()!;
              if (lastId !== undefined && event.id <= lastId) continue;
              lastId = event.id;
              failures = 0;
              yield event;
            }
          }
        } finally {
          signal?.removeEventListener("abort", onAbort);
          controller.abort();
        }
      } catch (error) {
        if (signal?.aborted) return;
        if ((error as { retryable?: boolean }).retryable !== true && isApiError(error)) throw error;
      }

      failures++;
      try {
        await sleep(Math.min(retryMs, 5_000) + backoffMs(Math.min(failures, 5), 100, 2_000), signal);
      } catch {
        return;
      }
    }
  }
}

function isApiError(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && "status" in error;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
