using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Features.Signatures;

public static class SignatureStore
{
    /// <summary>The users whose linked Stellar key must sign: a party of the order whose address is
    /// the signer's. A step the platform signs for a user without a linked address is no one's.</summary>
    public const string SignerUsersSql = """
        SELECT u.id FROM signatures s JOIN orders o ON o.id = s.order_id
        JOIN users u ON (u.id = o.buyer_id OR u.id = o.seller_id) AND u.stellar_address = s.signer_address
        """;

    public static readonly UserTokenAccess UserTokenAccess =
        new UserTokenAccess.OwnedResource(SignerUsersSql + " WHERE s.id = @id", ApiErrors.SignatureNotFound, "Signature request");

    public static async Task<SignatureRow> GetAsync(Db db, string id, CancellationToken ct) =>
        await ResourceRows.FindAsync<SignatureRow>(db, SignatureStates.Table, SignatureRow.Columns, "id", id, ct)
        ?? throw ApiErrors.NotFound(ApiErrors.SignatureNotFound, "Signature request", id);
}
