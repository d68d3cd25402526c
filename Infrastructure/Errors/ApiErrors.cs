namespace OfferHub.Lite.Infrastructure.Errors;

/// <summary>The error codes of errors.md (plus the transport-level ones the spec leaves open)
/// and factories for the ones raised in more than one place.</summary>
public static class ApiErrors
{
    public const string Unauthorized = "UNAUTHORIZED";
    public const string InvalidApiKey = "INVALID_API_KEY";
    public const string InsufficientScope = "INSUFFICIENT_SCOPE";
    public const string ValidationError = "VALIDATION_ERROR";
    public const string InvalidAmountFormat = "INVALID_AMOUNT_FORMAT";
    public const string InvalidCurrency = "INVALID_CURRENCY";
    public const string InvalidJson = "INVALID_JSON";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string NotFoundCode = "NOT_FOUND";
    public const string UserNotFound = "USER_NOT_FOUND";
    public const string ApiKeyNotFound = "API_KEY_NOT_FOUND";
    public const string UserAlreadyExists = "USER_ALREADY_EXISTS";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string IdempotencyKeyInProgress = "IDEMPOTENCY_KEY_IN_PROGRESS";
    public const string InternalError = "INTERNAL_ERROR";
    public const string InsufficientFunds = "INSUFFICIENT_FUNDS";
    public const string InvalidState = "INVALID_STATE";
    public const string OrderNotFound = "ORDER_NOT_FOUND";
    public const string OrderAlreadyExists = "ORDER_ALREADY_EXISTS";
    public const string UserSuspended = "USER_SUSPENDED";
    public const string AmountAboveMaximum = "AMOUNT_ABOVE_MAXIMUM";
    public const string AmountBelowMinimum = "AMOUNT_BELOW_MINIMUM";
    public const string ReserveMismatchAmount = "RESERVE_MISMATCH_AMOUNT";
    public const string TopupNotFound = "TOPUP_NOT_FOUND";
    public const string WithdrawalNotFound = "WITHDRAWAL_NOT_FOUND";
    public const string AirtmUserNotLinked = "AIRTM_USER_NOT_LINKED";
    public const string AirtmUserInvalid = "AIRTM_USER_INVALID";
    public const string AirtmUserAlreadyLinked = "AIRTM_USER_ALREADY_LINKED";
    public const string WithdrawalNotCommittable = "WITHDRAWAL_NOT_COMMITTABLE";
    public const string WithdrawalDestinationInvalid = "WITHDRAWAL_DESTINATION_INVALID";
    public const string RateLimited = "RATE_LIMITED";
    public const string WebhookSignatureInvalid = "WEBHOOK_SIGNATURE_INVALID";
    public const string ProviderError = "PROVIDER_ERROR";
    public const string ProviderRateLimited = "PROVIDER_RATE_LIMITED";
    public const string ProviderTimeout = "PROVIDER_TIMEOUT";
    public const string FeatureDisabled = "FEATURE_DISABLED";
    public const string EscrowNotReady = "ESCROW_NOT_READY";
    public const string EscrowAlreadyExists = "ESCROW_ALREADY_EXISTS";
    public const string DisputeNotFound = "DISPUTE_NOT_FOUND";
    public const string DisputeAlreadyOpen = "DISPUTE_ALREADY_OPEN";
    public const string SignatureNotFound = "SIGNATURE_NOT_FOUND";
    public const string InvalidSplit = "INVALID_SPLIT";
    public const string Maintenance = "MAINTENANCE";

    public static ApiException NotFound(string code, string resource, string id) =>
        new(404, code, $"{resource} {id} was not found", new Dictionary<string, object?> { ["id"] = id });

    public static ApiException Disabled(string feature) =>
        new(403, FeatureDisabled, $"{feature} are switched off on this instance", new Dictionary<string, object?> { ["feature"] = feature });

    public static ApiException Validation(params (string Field, string Message)[] fields) =>
        new(400, ValidationError, "The request is invalid", new Dictionary<string, object?>
        {
            ["fields"] = fields.Select(f => new Dictionary<string, object?> { ["field"] = f.Field, ["message"] = f.Message }).ToList(),
        });
}
