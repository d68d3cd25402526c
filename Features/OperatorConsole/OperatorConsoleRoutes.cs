namespace OfferHub.Lite.Features.OperatorConsole;

/// <summary>The console's pages. A page is one slice: its routes and the HTML they answer with
/// live together in its file, so this table lists pages rather than routes.</summary>
public static class OperatorConsoleRoutes
{
    public static void MapOperatorConsoleRoutes(this IEndpointRouteBuilder app)
    {
        Shell.ConsoleAssets.Map(app);
        SignIn.SignInPage.Map(app);
        Overview.OverviewPage.Map(app);
        Lookup.LookupPage.Map(app);
        Users.UserPage.Map(app);
        Orders.OrderPage.Map(app);
        Disputes.DisputeQueuePage.Map(app);
        Disputes.DisputeCasePage.Map(app);
        Admin.ApiKeysPage.Map(app);
        Admin.WebhooksPage.Map(app);
        Admin.OperationsPage.Map(app);
        Admin.MaintenancePage.Map(app);
        Admin.HealthPage.Map(app);
    }
}
