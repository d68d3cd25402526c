using Mediator;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Infrastructure.Pipeline;

/// <summary>Every command runs in one unit of work: committed when the handler returns,
/// rolled back when it throws. Queries pass through.</summary>
public sealed class UnitOfWorkBehavior<TMessage, TResponse>(Db db) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not IBaseCommand)
        {
            return await next(message, cancellationToken);
        }

        await using var scope = db.BeginScope();
        var response = await next(message, cancellationToken);
        await scope.CompleteAsync();
        return response;
    }
}
