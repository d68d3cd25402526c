// The browser entry: the client and its errors, with nothing that needs Node. Give it a
// short-lived token bound to the signed-in user (POST /auth/token with user_id), never an API key.
import { OfferHub } from "./client.js";
import type { OfferHubOptions } from "./http.js";

export { OfferHub } from "./client.js";
export * from "./errors.js";
export type { OfferHubOptions, RequestOptions } from "./http.js";
export type { Page } from "./pagination.js";
export { PageRequest } from "./pagination.js";
export type { StreamParams } from "./events.js";
export type * from "./types.js";

/** What a page needs to talk to the orchestrator as one user. */
export interface UserTokenOptions extends Omit<OfferHubOptions, "apiKey"> {
  /** A token minted by your backend with `apiKeys.mintToken({ scopes, user_id })` (`ohk_tok_…`). */
  token: string;
}

const tokenPrefix = "ohk_tok_";

/**
 * A client for the signed-in user's browser. It reads that user's resources and events and
 * submits that user's signatures; the server answers anything else 403 and other users' ids 404.
 * It refuses anything that is not a short-lived token, so an API key never ends up in a page.
 */
export function userClient(options: UserTokenOptions): OfferHub {
  const { token, ...rest } = options;
  if (typeof token !== "string" || !token.startsWith(tokenPrefix)) {
    throw new TypeError(`userClient needs a short-lived user token (${tokenPrefix}…) from POST /auth/token, never an API key`);
  }
  return new OfferHub({ ...rest, apiKey: token });
}
