namespace OfferHub.Lite.Infrastructure.Errors;

/// <summary>The one error shape of errors.md.</summary>
public sealed record ErrorEnvelope(ErrorBody Error);

public sealed record ErrorBody(string Code, string Message, IReadOnlyDictionary<string, object?> Details, string RequestId);
