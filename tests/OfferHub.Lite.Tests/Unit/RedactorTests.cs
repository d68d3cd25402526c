using System.Text.Json.Nodes;
using OfferHub.Lite.Infrastructure.Audit;

namespace OfferHub.Lite.Tests.Unit;

public sealed class RedactorTests
{
    [Fact]
    public void Secrets_are_removed_and_emails_masked_at_any_depth()
    {
        var node = JsonNode.Parse("""{"api_key":"ohk_test_x","nested":{"token":"t","list":[{"secret":"s","email":"john@example.com"}]},"name":"ok"}""");
        var redacted = Redactor.Redact(node)!.ToJsonString();
        Assert.Equal("""{"api_key":"[REDACTED]","nested":{"token":"[REDACTED]","list":[{"secret":"[REDACTED]","email":"j***@example.com"}]},"name":"ok"}""", redacted);
    }
}
