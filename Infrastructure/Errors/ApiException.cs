namespace OfferHub.Lite.Infrastructure.Errors;

/// <summary>An expected failure with its code and HTTP status from errors.md. Thrown from anywhere
/// in a request; the transaction rolls back and the error middleware writes the envelope.</summary>
public class ApiException(int status, string code, string message, IReadOnlyDictionary<string, object?>? details = null)
    : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public IReadOnlyDictionary<string, object?> Details { get; } = details ?? new Dictionary<string, object?>();
}
