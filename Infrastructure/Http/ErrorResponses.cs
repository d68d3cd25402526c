using System.Text.Json;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Http;

/// <summary>Writes every error response, whoever produced it, as the envelope.</summary>
public static class ErrorResponses
{
    public static async Task WriteAsync(HttpContext context, ApiException error)
    {
        var requestId = context.RequestServices.GetRequiredService<RequestContext>().RequestId;
        var envelope = new ErrorEnvelope(new ErrorBody(error.Code, error.Message, error.Details, requestId));
        context.Response.Clear();
        context.Response.StatusCode = error.Status;
        context.Response.Headers[RequestContext.RequestIdHeader] = requestId;
        if (error.Details.TryGetValue("retry_after", out var retryAfter) && retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString();
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, envelope, ApiJson.Options, context.RequestAborted);
    }

    /// <summary>Status codes that the framework produces without a body (routing, content
    /// negotiation) and that reach the client as the envelope.</summary>
    public static ApiException ForBareStatus(int status) => status switch
    {
        404 => new ApiException(404, ApiErrors.NotFoundCode, "No such route"),
        405 => new ApiException(405, ApiErrors.MethodNotAllowed, "This route does not accept that method"),
        413 => new ApiException(413, ApiErrors.PayloadTooLarge, "The request body is too large"),
        415 => new ApiException(415, ApiErrors.UnsupportedMediaType, "Send the body as application/json"),
        400 => new ApiException(400, ApiErrors.ValidationError, "The request is invalid"),
        >= 500 => new ApiException(status, ApiErrors.InternalError, "Something went wrong on our side"),
        _ => new ApiException(status, "HTTP_" + status, "The request failed"),
    };
}
