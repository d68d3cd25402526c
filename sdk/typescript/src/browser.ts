// The browser entry: the client and its errors, with nothing that needs Node. Give it a
// short-lived token bound to the signed-in user (POST /auth/token with user_id), never an API key.
export { OfferHub } from "./client.js";
export * from "./errors.js";
export type { OfferHubOptions, RequestOptions } from "./http.js";
export type { Page } from "./pagination.js";
export { PageRequest } from "./pagination.js";
export type { StreamParams } from "./events.js";
export type * from "./types.js";
