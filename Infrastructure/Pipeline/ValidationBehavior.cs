using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Infrastructure.Pipeline;

/// <summary>Runs every validator of a message and reports every bad field at once. A failure that
/// carries one of our error codes (INVALID_AMOUNT_FORMAT, INVALID_CURRENCY) names the envelope's
/// code; the rest are VALIDATION_ERROR.</summary>
public static class Validation
{
    private static readonly HashSet<string> ApiCodes = [ApiErrors.InvalidAmountFormat, ApiErrors.InvalidCurrency];

    /// <summary>Throws the envelope's 400 when any validator of <paramref name="message"/> fails.</summary>
    public static async Task ValidateAsync<TMessage>(IEnumerable<IValidator<TMessage>> validators, TMessage message, CancellationToken cancellationToken)
    {
        if (message is not null && NullElements.Find(message) is { Count: > 0 } nulls)
        {
            throw ApiErrors.Validation([.. nulls.Select(field => (field, "must not be null"))]);
        }

        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count == 0)
        {
            return;
        }

        var code = failures.Select(f => f.ErrorCode).FirstOrDefault(ApiCodes.Contains) ?? ApiErrors.ValidationError;
        var fields = failures
            .Select(f => new Dictionary<string, object?> { ["field"] = f.PropertyName, ["message"] = f.ErrorMessage })
            .ToList();
        throw new ApiException(400, code, code == ApiErrors.ValidationError ? "The request is invalid" : failures.First(f => f.ErrorCode == code).ErrorMessage,
            new Dictionary<string, object?> { ["fields"] = fields });
    }
}

public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        await Validation.ValidateAsync(validators, message, cancellationToken);
        return await next(message, cancellationToken);
    }
}

/// <summary>The same validation for streaming queries (the live event stream).</summary>
public sealed class StreamValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators) : IStreamPipelineBehavior<TMessage, TResponse>
    where TMessage : IStreamMessage
{
    public async IAsyncEnumerable<TResponse> Handle(TMessage message, StreamHandlerDelegate<TMessage, TResponse> next,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Validation.ValidateAsync(validators, message, cancellationToken);
        await foreach (var item in next(message, cancellationToken))
        {
            yield return item;
        }
    }
}
