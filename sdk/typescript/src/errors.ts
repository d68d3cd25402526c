/** The error envelope every OfferHub error response carries (errors.md). */
export interface ErrorEnvelope {
  error: { code: string; message: string; details: Record<string, unknown>; request_id: string };
}

/** Any error the API answered with, or a failure to reach it (status 0, code NETWORK_ERROR). */
export class OfferHubError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;

  constructor(code: string, status: number, message: string, details: Record<string, unknown> = {}, requestId: string | null = null) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = details;
    this.requestId = requestId;
  }
}

export class InsufficientFundsError extends OfferHubError {}
export class InvalidStateError extends OfferHubError {}
export class NotFoundError extends OfferHubError {}
export class AuthenticationError extends OfferHubError {}
export class ValidationError extends OfferHubError {}
export class IdempotencyError extends OfferHubError {}
export class ProviderError extends OfferHubError {}

export class RateLimitError extends OfferHubError {
  /** Seconds to wait before trying again, from Retry-After or the error details. */
  get retryAfter(): number | null {
    const value = Number(this.details["retry_after"]);
    return Number.isFinite(value) ? value : null;
  }
}

type ErrorClass = new (code: string, status: number, message: string, details?: Record<string, unknown>, requestId?: string | null) => OfferHubError;

const byCode: Record<string, ErrorClass> = {
  INSUFFICIENT_FUNDS: InsufficientFundsError,
  INVALID_STATE: InvalidStateError,
  ESCROW_NOT_READY: InvalidStateError,
  ESCROW_ALREADY_EXISTS: InvalidStateError,
  FUNDS_ALREADY_RESERVED: InvalidStateError,
  DISPUTE_ALREADY_OPEN: InvalidStateError,
  WITHDRAWAL_NOT_COMMITTABLE: InvalidStateError,
  UNAUTHORIZED: AuthenticationError,
  INVALID_API_KEY: AuthenticationError,
  INSUFFICIENT_SCOPE: AuthenticationError,
  RATE_LIMITED: RateLimitError,
  IDEMPOTENCY_KEY_REUSED: IdempotencyError,
  IDEMPOTENCY_KEY_IN_PROGRESS: IdempotencyError,
  PROVIDER_ERROR: ProviderError,
  PROVIDER_RATE_LIMITED: ProviderError,
  PROVIDER_TIMEOUT: ProviderError,
};

function classFor(code: string, status: number): ErrorClass {
  const known = byCode[code];
  if (known) return known;
  if (code === "NOT_FOUND" || code.endsWith("_NOT_FOUND") || status === 404) return NotFoundError;
  if (status === 401) return AuthenticationError;
  if (status === 429) return RateLimitError;
  if (status === 400 || status === 422) return ValidationError;
  if (status === 502 || status === 504) return ProviderError;
  return OfferHubError;
}

/** Builds the typed error from a response body (the envelope, or anything else a proxy sent). */
export function errorFromResponse(status: number, body: unknown, requestIdHeader: string | null): OfferHubError {
  const envelope = (body as Partial<ErrorEnvelope> | null)?.error;
  const code = typeof envelope?.code === "string" ? envelope.code : `HTTP_${status}`;
  const message = typeof envelope?.message === "string" ? envelope.message : `The server answered ${status}`;
  const details = envelope?.details && typeof envelope.details === "object" ? envelope.details : {};
  const requestId = typeof envelope?.request_id === "string" ? envelope.request_id : requestIdHeader;
  const ErrorType = classFor(code, status);
  return new ErrorType(code, status, message, details, requestId);
}
