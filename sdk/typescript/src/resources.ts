import type { HttpCore, RequestOptions } from "./http.js";
import { PageRequest, type ListParams } from "./pagination.js";
import type { Schemas } from "./types.js";

type S = Schemas;
type Opts = RequestOptions;
const e = encodeURIComponent;

abstract class Resource {
  constructor(protected readonly http: HttpCore) {}

  protected httpGet<T>(path: string, options?: Opts, query?: Record<string, unknown>): Promise<T> {
    return this.http.call<T>({ method: "GET", path, query: query as Record<string, string>, options });
  }

  protected httpPost<T>(path: string, body: unknown, options?: Opts): Promise<T> {
    return this.http.call<T>({ method: "POST", path, body, idempotent: true, options });
  }

  protected httpDelete<T>(path: string, options?: Opts): Promise<T> {
    return this.http.call<T>({ method: "DELETE", path, idempotent: true, options });
  }

  protected page<T>(path: string, params: object | undefined, options?: Opts): PageRequest<T> {
    return new PageRequest<T>(this.http, path, { ...(params ?? {}) }, options);
  }
}

export class Users extends Resource {
  create(body: S["CreateUserCommand"], options?: Opts) { return this.httpPost<S["UserResponse"]>("/users", body, options); }
  get(id: string, options?: Opts) { return this.httpGet<S["UserResponse"]>(`/users/${e(id)}`, options); }
  list(params?: ListParams & { type?: string; status?: string; external_user_id?: string }, options?: Opts) { return this.page<S["UserResponse"]>("/users", params, options); }
  balance(id: string, options?: Opts) { return this.httpGet<S["GetBalanceResult"]>(`/users/${e(id)}/balance`, options); }
  ledger(id: string, params?: ListParams, options?: Opts) { return this.page<S["GetLedgerEntry"]>(`/users/${e(id)}/ledger`, params, options); }
  linkAirtm(id: string, body: S["LinkAirtmBody"], options?: Opts) { return this.httpPost<S["LinkAirtmResult"]>(`/users/${e(id)}/airtm/link`, body, options); }
  linkStellar(id: string, body: S["LinkStellarBody"], options?: Opts) { return this.httpPost<S["UserResponse"]>(`/users/${e(id)}/stellar/link`, body, options); }
}

export class Topups extends Resource {
  create(body: S["CreateTopupCommand"], options?: Opts) { return this.httpPost<S["TopupResponse"]>("/topups", body, options); }
  get(id: string, options?: Opts) { return this.httpGet<S["TopupResponse"]>(`/topups/${e(id)}`, options); }
  list(params?: ListParams & { user_id?: string; status?: string }, options?: Opts) { return this.page<S["TopupResponse"]>("/topups", params, options); }
  refresh(id: string, options?: Opts) { return this.httpPost<S["TopupResponse"]>(`/topups/${e(id)}/refresh`, undefined, options); }
  cancel(id: string, options?: Opts) { return this.httpPost<S["TopupResponse"]>(`/topups/${e(id)}/cancel`, undefined, options); }
}

export class Orders extends Resource {
  create(body: S["CreateOrderCommand"], options?: Opts) { return this.httpPost<S["OrderResponse"]>("/orders", body, options); }
  get(id: string, options?: Opts) { return this.httpGet<S["OrderResponse"]>(`/orders/${e(id)}`, options); }
  list(params?: ListParams & { status?: string; buyer_id?: string; seller_id?: string; created_after?: string; created_before?: string }, options?: Opts) {
    return this.page<S["OrderResponse"]>("/orders", params, options);
  }
  history(id: string, options?: Opts) { return this.httpGet<S["GetOrderHistoryResult"]>(`/orders/${e(id)}/history`, options); }
  reserve(id: string, body: S["ReserveFundsBody"], options?: Opts) { return this.httpPost<S["ReserveFundsResult"]>(`/orders/${e(id)}/reserve`, body, options); }
  cancel(id: string, body?: S["CancelOrderBody"], options?: Opts) { return this.httpPost<S["CancelOrderResult"]>(`/orders/${e(id)}/cancel`, body ?? {}, options); }
  createEscrow(id: string, body?: S["CreateEscrowBody"], options?: Opts) { return this.httpPost<S["CreateEscrowResult"]>(`/orders/${e(id)}/escrow`, body ?? {}, options); }
  getEscrow(id: string, options?: Opts) { return this.httpGet<S["EscrowResponse"]>(`/orders/${e(id)}/escrow`, options); }
  fundEscrow(id: string, options?: Opts) { return this.httpPost<S["FundEscrowResult"]>(`/orders/${e(id)}/escrow/fund`, undefined, options); }
  completeMilestone(id: string, milestoneRef: string, body: S["CompleteMilestoneBody"], options?: Opts) {
    return this.httpPost<S["CompleteMilestoneResult"]>(`/orders/${e(id)}/milestones/${e(milestoneRef)}/complete`, body, options);
  }
  release(id: string, body: S["ReleaseFundsBody"], options?: Opts) { return this.httpPost<S["ReleaseFundsResult"]>(`/orders/${e(id)}/release`, body, options); }
  refund(id: string, body: S["RefundFundsBody"], options?: Opts) { return this.httpPost<S["RefundFundsResult"]>(`/orders/${e(id)}/refund`, body, options); }
  openDispute(id: string, body: S["OpenDisputeBody"], options?: Opts) { return this.httpPost<S["OpenDisputeResult"]>(`/orders/${e(id)}/disputes`, body, options); }
}

export class Disputes extends Resource {
  get(id: string, options?: Opts) { return this.httpGet<S["DisputeResponse"]>(`/disputes/${e(id)}`, options); }
  list(params?: ListParams & { status?: string; order_id?: string }, options?: Opts) { return this.page<S["DisputeResponse"]>("/disputes", params, options); }
  assign(id: string, body: S["AssignDisputeBody"], options?: Opts) { return this.httpPost<S["DisputeResponse"]>(`/disputes/${e(id)}/assign`, body, options); }
  comment(id: string, body: S["CommentOnDisputeBody"], options?: Opts) { return this.httpPost<S["CommentOnDisputeResult"]>(`/disputes/${e(id)}/comment`, body, options); }
  comments(id: string, params?: ListParams, options?: Opts) { return this.page<S["ListDisputeCommentsCommentResponse"]>(`/disputes/${e(id)}/comments`, params, options); }
  resolve(id: string, body: S["ResolveDisputeBody"], options?: Opts) { return this.httpPost<S["ResolveDisputeResolution"]>(`/disputes/${e(id)}/resolve`, body, options); }
}

export class Withdrawals extends Resource {
  create(body: S["CreateWithdrawalCommand"], options?: Opts) { return this.httpPost<S["WithdrawalResponse"]>("/withdrawals", body, options); }
  get(id: string, options?: Opts) { return this.httpGet<S["WithdrawalResponse"]>(`/withdrawals/${e(id)}`, options); }
  list(params?: ListParams & { user_id?: string; status?: string }, options?: Opts) { return this.page<S["WithdrawalResponse"]>("/withdrawals", params, options); }
  commit(id: string, options?: Opts) { return this.httpPost<S["WithdrawalResponse"]>(`/withdrawals/${e(id)}/commit`, { confirm: true }, options); }
  cancel(id: string, options?: Opts) { return this.httpPost<S["WithdrawalResponse"]>(`/withdrawals/${e(id)}/cancel`, undefined, options); }
  refresh(id: string, options?: Opts) { return this.httpPost<S["WithdrawalResponse"]>(`/withdrawals/${e(id)}/refresh`, undefined, options); }
}

export class Signatures extends Resource {
  get(id: string, options?: Opts) { return this.httpGet<S["SignatureResponse"]>(`/signatures/${e(id)}`, options); }
  list(params?: ListParams & { order_id?: string; status?: string }, options?: Opts) { return this.page<S["SignatureResponse"]>("/signatures", params, options); }
  submit(id: string, body: S["SubmitSignatureBody"], options?: Opts) { return this.httpPost<S["SignatureResponse"]>(`/signatures/${e(id)}/submit`, body, options); }
}

/** Master key only. */
export class ApiKeys extends Resource {
  create(body: S["CreateApiKeyCommand"], options?: Opts) { return this.httpPost<S["CreateApiKeyResult"]>("/auth/api-keys", body, options); }
  list(params?: ListParams, options?: Opts) { return this.page<S["ApiKeySummary"]>("/auth/api-keys", params, options); }
  revoke(id: string, options?: Opts) { return this.httpDelete<S["RevokeApiKeyResult"]>(`/auth/api-keys/${e(id)}`, options); }
  /** A short-lived token, optionally bound to one user (for that user's browser). */
  mintToken(body: S["MintTokenCommand"], options?: Opts) { return this.httpPost<S["MintTokenResult"]>("/auth/token", body, options); }
}

/** Master key only. */
export class WebhookEndpoints extends Resource {
  create(body: S["CreateWebhookEndpointCommand"], options?: Opts) { return this.httpPost<S["WebhookEndpointResponse"]>("/webhook-endpoints", body, options); }
  list(options?: Opts) { return this.httpGet<S["ListWebhookEndpointsResult"]>("/webhook-endpoints", options); }
  remove(id: string, options?: Opts) { return this.httpDelete<S["DeleteWebhookEndpointResult"]>(`/webhook-endpoints/${e(id)}`, options); }
  deliveries(id: string, params?: ListParams, options?: Opts) { return this.page<S["DeliveryResponse"]>(`/webhook-endpoints/${e(id)}/deliveries`, params, options); }
  retryDelivery(deliveryId: string, options?: Opts) { return this.httpPost<S["DeliveryResponse"]>(`/webhook-deliveries/${e(deliveryId)}/retry`, undefined, options); }
}

export class Audit extends Resource {
  list(params?: ListParams & { resource_type?: string; resource_id?: string; action?: string; actor_type?: string; from?: string; to?: string }, options?: Opts) {
    return this.page<S["ListAuditLogsEntry"]>("/audit/logs", params, options);
  }
}

export class Config extends Resource {
  get(options?: Opts) { return this.httpGet<S["GetConfigResult"]>("/config", options); }
}

export class Health extends Resource {
  get(options?: Opts) { return this.httpGet<S["GetHealthResult"]>("/health", options); }
}
