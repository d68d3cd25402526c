using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Signatures;

public static class SignatureStore
{
    public static async Task<SignatureRow> GetAsync(Db db, string id, CancellationToken ct) =>
        await ResourceRows.FindAsync<SignatureRow>(db, SignatureStates.Table, SignatureRow.Columns, "id", id, ct)
        ?? throw ApiErrors.NotFound(ApiErrors.SignatureNotFound, "Signature request", id);
}
