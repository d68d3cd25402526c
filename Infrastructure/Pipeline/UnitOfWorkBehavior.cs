using Mediator;
using OfferHub.Lite.Infrastructure.Database;

namespace OfferHub.Lite.Infrastructure.Pipeline;

/// <summary>The one place a command's write transaction is applied: every command runs in one unit
/// of work, whose transaction its first statement begins (its first write or locked read when it
/// calls out, <see cref="IBeginsAtFirstWrite"/>), committed once when the handler returns and rolled back when
/// it throws. Queries pass through and only read.</summary>
public sealed class UnitOfWorkBehavior<TMessage, TResponse>(Db db) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not IBaseCommand)
        {
            return await next(message, cancellationToken);
        }

        await using var scope = db.BeginScope(message is IBeginsAtFirstWrite ? TransactionStart.AtFirstWrite : TransactionStart.AtFirstStatement);
        var response = await next(message, cancellationToken);
        await scope.CompleteAsync();
        return response;
    }
}
