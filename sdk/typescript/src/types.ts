import type { components } from "./generated/openapi.js";

/** Every schema of the OpenAPI document, by its name there (snake_case fields, as the API). */
export type Schemas = components["schemas"];

export type User = Schemas["UserResponse"];
export type Balance = Schemas["GetBalanceResult"];
export type LedgerEntry = Schemas["GetLedgerEntry"];
export type Topup = Schemas["TopupResponse"];
export type Order = Schemas["OrderResponse"];
export type Escrow = Schemas["EscrowResponse"];
export type Dispute = Schemas["DisputeResponse"];
export type DisputeComment = Schemas["ListDisputeCommentsCommentResponse"];
export type Withdrawal = Schemas["WithdrawalResponse"];
export type Signature = Schemas["SignatureResponse"];
export type OfferHubEvent = Schemas["EventResponse"];
export type WebhookEndpoint = Schemas["WebhookEndpointResponse"];
export type WebhookDelivery = Schemas["DeliveryResponse"];
export type AuditEntry = Schemas["ListAuditLogsEntry"];
export type ApiKey = Schemas["ApiKeySummary"];
