using Mediator;
using OfferHub.Lite.Infrastructure.Audit;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Infrastructure.Pipeline;

/// <summary>Audits audited commands: a success row inside the command's transaction, a failure
/// row in its own transaction once the failed one has rolled back.</summary>
public sealed class AuditBehavior<TMessage, TResponse>(Db db, AuditLog audit) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not IAuditedCommand audited)
        {
            return await next(message, cancellationToken);
        }

        TResponse response;
        try
        {
            response = await next(message, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var (code, text) = exception is ApiException api ? (api.Code, api.Message) : (ApiErrors.InternalError, "Unexpected error");
            var failure = new AuditEntry(audited.AuditAction, audited.AuditResourceType, audited.AuditResourceId, Success: false, code, text);
            db.AfterRollback((_, ct) => audit.WriteAsync(failure, ct));
            throw;
        }

        var resourceId = audited.AuditResourceId ?? (response as IHasId)?.Id;
        await audit.WriteAsync(new AuditEntry(audited.AuditAction, audited.AuditResourceType, resourceId, Success: true, After: response), cancellationToken);
        return response;
    }
}
