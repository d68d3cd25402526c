using FluentValidation;
using Mediator;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Signatures.SubmitSignature;

/// <summary>Brings back the signed transaction of a signature request: it is submitted to Trustless
/// Work, and on success the waiting operation continues with its next step. The signed
/// transaction is passed on, never stored or logged.</summary>
public static class SubmitSignature
{
    public sealed record Body(string? SignedXdr);

    public sealed record Command(string SignatureId, string? SignedXdr) : ICommand<SignatureResponse>, IAuditedCommand, IBeginsAtFirstWrite
    {
        string IAuditedCommand.AuditAction => "SIGNATURE_SUBMIT";

        string IAuditedCommand.AuditResourceType => "signature";

        string? IAuditedCommand.AuditResourceId => SignatureId;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.SignedXdr).NotEmpty().MaximumLength(100_000);
    }

    public sealed class Handler(Db db, EscrowOperationRunner operations, SignatureLifecycle signatures, RequestContext request, TimeProvider clock) : ICommandHandler<Command, SignatureResponse>
    {
        public async ValueTask<SignatureResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var signature = await SignatureStore.GetAsync(db, command.SignatureId, cancellationToken);
            if (signature.Status == SignatureStates.Submitted && request.IdempotencyResumed)
            {
                // This key's first attempt died while Trustless Work had the transaction: the network
                // says whether it went through; if not, this request's signed transaction is sent again.
                signature = await signatures.SettleInterruptedAsync(signature, cancellationToken);
            }

            if (signature.Status == SignatureStates.Confirmed)
            {
                await operations.AdvanceAsync(signature.OperationId, cancellationToken);
                return (await SignatureStore.GetAsync(db, signature.Id, cancellationToken)).ToResponse();
            }

            if (signature.Status == SignatureStates.Pending && clock.NowMs() > signature.ExpiresAt)
            {
                // Kept although the request fails: the operation asks for a new signature next time.
                await signatures.ExpireAsync(signature, cancellationToken);
                throw SignatureStates.Machine.Invalid(signature.Id, SignatureStates.Expired, "submit");
            }

            await signatures.SubmitAsync(signature, command.SignedXdr!, cancellationToken);
            await operations.AdvanceAsync(signature.OperationId, cancellationToken);
            return (await SignatureStore.GetAsync(db, signature.Id, cancellationToken)).ToResponse();
        }
    }
}
