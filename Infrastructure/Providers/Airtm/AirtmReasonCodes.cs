namespace OfferHub.Lite.Infrastructure.Providers.Airtm;

/// <summary>The reason codes of Airtm's error bodies that we act on, from the OpenAPI document's
/// "Reason Codes" section (1.87.0). The simulator answers with the same codes.</summary>
public static class AirtmReasonCodes
{
    public const string RecipientInactive = "415009";
    public const string InsufficientBalance = "415016";
    public const string PayoutAlreadyProcessed = "415027";
    public const string PayinCodeExists = "415029";
    public const string PayinNotCancellable = "415030";
    public const string PayinNotFound = "415031";
    public const string PayinAlreadyCompleted = "415032";
    public const string PayoutNotFound = "415005";
    public const string PayoutNotCancellable = "415055";
    public const string PayoutCodeExists = "415056";
    public const string RecipientNotFound = "415059";
    public const string InvalidRequestFormat = "415901";
    public const string ItemNotFound = "415902";
    public const string Unauthorized = "415904";
    public const string InvalidRequest = "415906";
    public const string UnexpectedError = "415998";
}
