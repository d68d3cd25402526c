namespace OfferHub.Lite.Infrastructure.Providers.Airtm;

/// <summary>GET /me/balance (Airtm OpenAPI schema Balance, both required): what the enterprise
/// account holds, available plus the amount committed to pending payouts.</summary>
public sealed record AirtmBalance(decimal Available, decimal Pending);
