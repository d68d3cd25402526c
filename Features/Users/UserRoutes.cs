using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Features.Users;

/// <summary>The routes of users: each with its access, filters and documentation, mapped in the order
/// <see cref="FeatureRoutes"/> explains.</summary>
public static class UserRoutes
{
    public static void MapUserRoutes(this IEndpointRouteBuilder app)
    {
        var users = app.MapApiGroup("/users", "Users");

        users.MapGet("/", ([AsParameters] ListUsers.ListUsers.Query query, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(query, ct))
            .RequireScope(Scopes.Read)
            .WithName("ListUsers")
            .WithSummary("List users, newest first")
            .ProducesErrors(400, 401, 403);

        users.MapPost("/{id}/stellar/link", (string id, LinkStellar.LinkStellar.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new LinkStellar.LinkStellar.Command(id, body.StellarAddress), ct))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("LinkStellar")
            .WithSummary("Link the Stellar address that plays the user's escrow roles")
            .Produces<UserResponse>()
            .ProducesErrors(400, 401, 403, 404);

        users.MapPost("/{id}/airtm/link", (string id, LinkAirtm.LinkAirtm.Body body, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(new LinkAirtm.LinkAirtm.Command(id, body.AirtmEmail, body.AirtmUserId), ct))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("LinkAirtm")
            .WithSummary("Link the user to an Airtm account, found by its e-mail")
            .Produces<LinkAirtm.LinkAirtm.Result>()
            .ProducesErrors(400, 401, 403, 404, 409, 422, 502, 504);

        users.MapGet("/{id}", (string id, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new GetUser.GetUser.Query(id), ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(UserStore.UserTokenAccess)
            .WithName("GetUser")
            .WithSummary("Get a user")
            .ProducesErrors(401, 403, 404);

        users.MapGet("/{id}/ledger", (string id, string? limit, string? cursor, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new GetLedger.GetLedger.Query(id, limit, cursor), ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(UserStore.UserTokenAccess)
            .WithName("GetLedger")
            .WithSummary("A user's ledger entries, newest first")
            .ProducesErrors(400, 401, 403, 404);

        users.MapGet("/{id}/balance", (string id, ISender sender, CancellationToken ct) => sender.AnswerOkAsync(new GetBalance.GetBalance.Query(id), ct))
            .RequireScope(Scopes.Read)
            .AllowUserToken(UserStore.UserTokenAccess)
            .WithName("GetBalance")
            .WithSummary("A user's available, reserved and pending-withdrawal balance")
            .ProducesErrors(401, 403, 404);

        users.MapPost("/", (CreateUser.CreateUser.Command command, ISender sender, CancellationToken ct) => sender.AnswerJsonAsync(command, ct, StatusCodes.Status201Created))
            .RequireScope(Scopes.Write)
            .Idempotent(IdempotencyPolicy.SevenDays)
            .WithName("CreateUser")
            .WithSummary("Create a user (buyer, seller or both)")
            .Produces<UserResponse>(StatusCodes.Status201Created)
            .ProducesErrors(400, 401, 403, 409);
    }
}
