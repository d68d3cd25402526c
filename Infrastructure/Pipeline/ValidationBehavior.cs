using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Infrastructure.Pipeline;

/// <summary>Runs every validator of the message once and reports every bad field at once.
/// A failure that carries one of our error codes (INVALID_AMOUNT_FORMAT, INVALID_CURRENCY)
/// names the envelope's code; the rest are VALIDATION_ERROR.</summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    private static readonly HashSet<string> ApiCodes = [ApiErrors.InvalidAmountFormat, ApiErrors.InvalidCurrency];

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count == 0)
        {
            return await next(message, cancellationToken);
        }

        var code = failures.Select(f => f.ErrorCode).FirstOrDefault(ApiCodes.Contains) ?? ApiErrors.ValidationError;
        var fields = failures
            .Select(f => new Dictionary<string, object?> { ["field"] = f.PropertyName, ["message"] = f.ErrorMessage })
            .ToList();
        throw new ApiException(400, code, code == ApiErrors.ValidationError ? "The request is invalid" : failures.First(f => f.ErrorCode == code).ErrorMessage,
            new Dictionary<string, object?> { ["fields"] = fields });
    }
}
