using System.Text.Json;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Infrastructure.Http;

/// <summary>Turns every exception into the envelope. Unexpected ones are logged under the
/// request id and answered with a bare INTERNAL_ERROR: no stack trace, SQL or provider body.</summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            var error = Translate(exception);
            if (DbErrors.IsUnstorableValue(exception))
            {
                // A validator should have caught it: worth fixing, so it is logged.
                logger.LogWarning(exception, "{Method} {Path}: the database refused a value of the request", context.Request.Method, context.Request.Path);
            }
            if (exception is not ApiException && error.Status >= 500)
            {
                logger.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
            }
            else if (error.Status >= 500)
            {
                // An expected failure such as a provider timeout: its code says it all.
                logger.LogWarning("{Method} {Path} failed with {Code}", context.Request.Method, context.Request.Path, error.Code);
            }

            await ErrorResponses.WriteAsync(context, error);
        }
    }

    private static ApiException Translate(Exception exception) => exception switch
    {
        ApiException api => api,
        BadHttpRequestException { InnerException: JsonException json } => WrongType(json),
        BadHttpRequestException bad when bad.StatusCode == 400 => new ApiException(400, ApiErrors.ValidationError, BadRequestMessage(bad), new Dictionary<string, object?>()),
        BadHttpRequestException bad => ErrorResponses.ForBareStatus(bad.StatusCode),
        _ when DbErrors.IsUnstorableValue(exception) => new ApiException(400, ApiErrors.ValidationError, "A value in the request is too long or cannot be stored",
            new Dictionary<string, object?>()),
        _ => new ApiException(500, ApiErrors.InternalError, "Something went wrong on our side"),
    };

    // The body already parsed as JSON (BodyBufferingMiddleware), so a JsonException here means a
    // value of the wrong type; its path names the field.
    private static ApiException WrongType(JsonException json)
    {
        var field = (json.Path ?? "$").TrimStart('$', '.');
        return ApiErrors.Validation((field.Length == 0 ? "body" : field, "has the wrong type or shape"));
    }

    // Binding messages name the parameter, never a value, so they are safe to return.
    private static string BadRequestMessage(BadHttpRequestException bad) =>
        bad.Message.Contains("body was provided", StringComparison.OrdinalIgnoreCase) || bad.Message.Contains("Implicit body", StringComparison.OrdinalIgnoreCase)
            ? "A JSON body is required"
            : bad.Message;
}
