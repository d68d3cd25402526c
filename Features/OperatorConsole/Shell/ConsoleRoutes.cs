using OfferHub.Lite.Infrastructure.Auth;

namespace OfferHub.Lite.Features.OperatorConsole.Shell;

/// <summary>Who may open a console route: anyone (sign-in, assets), a session of a key with the
/// support scope, or a session of the master key.</summary>
public enum ConsoleAccess
{
    Public,
    Support,
    Admin,
}

/// <summary>Route metadata: the access a console route needs, and whether it still works while maintenance is on.</summary>
public sealed record ConsoleRoute(ConsoleAccess Access, bool DuringMaintenance = false);

public static class ConsoleRoutes
{
    public const string Base = "/console";

    /// <summary>The console's routes: outside the API's bearer-token auth (the console filter checks
    /// the session instead) and outside the OpenAPI document.</summary>
    public static RouteGroupBuilder MapConsole(this IEndpointRouteBuilder app, ConsoleAccess access = ConsoleAccess.Support) =>
        app.MapGroup(Base)
            .AllowWithoutToken()
            .ExcludeFromDescription()
            .WithMetadata(new ConsoleRoute(access))
            .AddEndpointFilter<ConsoleFilter>();

    /// <summary>Lets a console action run while maintenance is on (the switch itself, sign-in and sign-out).</summary>
    public static RouteHandlerBuilder DuringMaintenance(this RouteHandlerBuilder builder, ConsoleAccess access) =>
        builder.WithMetadata(new ConsoleRoute(access, DuringMaintenance: true));
}
