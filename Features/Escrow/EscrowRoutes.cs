using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Escrow;

/// <summary>The routes of escrow: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class EscrowRoutes
{
    public static void MapEscrowRoutes(this IEndpointRouteBuilder app)
    {
        var orders = app.MapApiGroup("/orders", "Escrow");

        orders.MapPost("/{id}/release", (string id, ReleaseFunds.ReleaseFunds.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new ReleaseFunds.ReleaseFunds.Command(id, body.Mode, body.Amount, body.MilestoneRef, body.Reason), ct))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("ReleaseFunds")
            .WithSummary("Release the escrow: FULL, or PARTIAL for one milestone")
            .Produces<ReleaseFunds.ReleaseFunds.Result>()
            .ProducesErrors(400, 401, 403, 404, 409, 422, 502, 504);

        orders.MapPost("/{id}/refund", (string id, RefundFunds.RefundFunds.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new RefundFunds.RefundFunds.Command(id, body.Mode, body.Amount, body.MilestoneRef, body.Reason), ct))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("RefundFunds")
            .WithSummary("Refund the escrow: FULL, or PARTIAL for one milestone")
            .Produces<RefundFunds.RefundFunds.Result>()
            .ProducesErrors(400, 401, 403, 404, 409, 422, 502, 504);

        orders.MapGet("/{id}/escrow", (string id, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new GetEscrow.GetEscrow.Query(id), ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(Orders.OrderStore.UserTokenAccess)
            .WithName("GetEscrow")
            .WithSummary("The order's escrow: amounts, milestones and any signature it waits for")
            .ProducesErrors(401, 403, 404, 409);

        orders.MapPost("/{id}/escrow/fund", (string id, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new FundEscrow.FundEscrow.Command(id), ct))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("FundEscrow")
            .WithSummary("Move the reservation into the escrow contract")
            .Produces<FundEscrow.FundEscrow.Result>()
            .ProducesErrors(401, 403, 404, 409, 502, 504);

        orders.MapPost("/{id}/escrow", (string id, CreateEscrow.CreateEscrow.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new CreateEscrow.CreateEscrow.Command(id, body.Terms), ct))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("CreateEscrow")
            .WithSummary("Deploy the order's escrow contract at Trustless Work")
            .Produces<CreateEscrow.CreateEscrow.Result>()
            .ProducesErrors(400, 401, 403, 404, 409, 502, 504);

        orders.MapPost("/{id}/milestones/{milestoneRef}/complete", (string id, string milestoneRef, CompleteMilestone.CompleteMilestone.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new CompleteMilestone.CompleteMilestone.Command(id, milestoneRef, body.CompletedBy, body.Note), ct))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("CompleteMilestone")
            .WithSummary("The seller marks a milestone done, or the buyer approves it")
            .Produces<CompleteMilestone.CompleteMilestone.Result>()
            .ProducesErrors(400, 401, 403, 404, 409, 502, 504);
    }
}
