import { Webhook } from "standardwebhooks";
import { OfferHubError } from "./errors.js";
import type { OfferHubEvent } from "./types.js";

/** The body of an outbound webhook delivery (events.md). */
export interface WebhookDelivery {
  type: string;
  timestamp: string;
  data: OfferHubEvent;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** Checks a Standard Webhooks delivery from OfferHub (webhook-id, webhook-timestamp within five
 * minutes, webhook-signature) against the endpoint's whsec_ secret and returns the parsed body;
 * throws OfferHubError WEBHOOK_SIGNATURE_INVALID otherwise. Pass the raw body, as received. */
export function verifyWebhook(secret: string, headers: HeaderSource, rawBody: string | Uint8Array): WebhookDelivery {
  const body = typeof rawBody === "string" ? rawBody : new TextDecoder().decode(rawBody);
  const plain: Record<string, string> = {};
  const read = (name: string): string | undefined => {
    if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
    const record = headers as Record<string, string | string[] | undefined>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : record[key];
    return Array.isArray(value) ? value[0] : value;
  };
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const value = read(name);
    if (value !== undefined) plain[name] = value;
  }
  try {
    return new Webhook(secret).verify(body, plain) as WebhookDelivery;
  } catch (error) {
    throw new OfferHubError("WEBHOOK_SIGNATURE_INVALID", 401, `The webhook could not be verified: ${(error as Error).message}`);
  }
}
