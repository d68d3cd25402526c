export * from "./browser.js";
export { verifyWebhook, type WebhookDelivery } from "./webhooks.js";
export type { components, operations, paths } from "./generated/openapi.js";
