using Mediator;
using OfferHub.Lite.Features.OperatorConsole.Shell;
using static OfferHub.Lite.Features.OperatorConsole.Shell.ConsoleFormat;

namespace OfferHub.Lite.Features.OperatorConsole.Orders;

/// <summary>An order's timeline: its state changes and events in order, with its escrow, money and parties.</summary>
public static class OrderPage
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapConsole().MapGet("/orders/{id}", async (string id, HttpContext http, ISender sender, CancellationToken ct) =>
        {
            var file = await sender.Send(new OrderFile.Query(id), ct);
            var dispute = file.Order.DisputeId is { } disputeId
                ? Html.Of($"""<p class="banner warn">This order has a dispute: {DisputeLink(disputeId)}.</p>""")
                : Html.Empty;
            return ConsolePages.Page(http, "Order " + file.Order.Id, Html.Of($"""
                {dispute}
                {OrderSections.Timeline(file)}
                <div class="grid">{OrderSections.Summary(file)}{OrderSections.Escrow(file)}</div>
                {OrderSections.Balances(file)}
                {OrderSections.Postings(file)}
                """));
        });
}
