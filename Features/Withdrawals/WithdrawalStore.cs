using OfferHub.Lite.Features.AirtmRails;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Withdrawals;

public static class WithdrawalStore
{
    public static readonly RailRows<WithdrawalRow> Rows = new(WithdrawalStates.Table, WithdrawalRow.Columns, ApiErrors.WithdrawalNotFound, "Withdrawal");

    public static UserTokenAccess UserTokenAccess => Rows.UserTokenAccess;
}
