using Carter;
using Mediator;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Http;

namespace OfferHub.Lite.Features.Instance.GetMe;

public sealed class GetMeEndpoint : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapApiGroup("", "Instance")
            .MapGet("/me", async (HttpContext http, ISender sender, CancellationToken ct) =>
                TypedResults.Ok(await sender.Send(new GetMe.Query(http.Caller()), ct)))
            .RequireAnyToken()
            .AllowUserToken(new UserTokenAccess.TokenItself())
            .WithName("GetMe")
            .WithSummary("Who the presented key is")
            .ProducesErrors(401);
}
