using OfferHub.Lite.Features.AirtmRails;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Topups;

public static class TopupStore
{
    public static readonly RailRows<TopupRow> Rows = new(TopupStates.Table, TopupRow.Columns, ApiErrors.TopupNotFound, "Top-up");

    public static UserTokenAccess UserTokenAccess => Rows.UserTokenAccess;
}
