using System.Text.Json;
using System.Text.Json.Nodes;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>The document itself: one schema per request and response type, a JSON body for every
/// success, and sdk/openapi.json (what the TypeScript SDK is generated from) equal to what the
/// server serves. Every other test checks its own traffic against it (Support/OpenApiContract).
/// To rewrite sdk/openapi.json after an API change:
/// <c>OFFERHUB_WRITE_OPENAPI=1 dotnet test OfferHub.Lite.sln --filter FullyQualifiedName~OpenApiDocumentTests</c>.</summary>
public sealed class OpenApiDocumentTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OfferHub.Lite.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OfferHub.Lite.sln not found above " + AppContext.BaseDirectory);
    }

    private async Task<JsonObject> ServedAsync() =>
        JsonNode.Parse(await fixture.Get(Dialect.Sqlite).Client().GetStringAsync("/openapi/v1.json"))!.AsObject();

    [Fact]
    public async Task The_committed_sdk_openapi_json_is_the_served_document()
    {
        var served = (await ServedAsync()).ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
        var path = Path.Combine(RepositoryRoot(), "sdk", "openapi.json");
        if (Environment.GetEnvironmentVariable("OFFERHUB_WRITE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served);
        }

        Assert.True(File.Exists(path), "sdk/openapi.json is missing; write it with OFFERHUB_WRITE_OPENAPI=1 (see this class)");
        var committed = (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n");
        Assert.True(committed == served, "sdk/openapi.json differs from /openapi/v1.json; rewrite it with OFFERHUB_WRITE_OPENAPI=1 dotnet test --filter FullyQualifiedName~OpenApiDocumentTests");
    }

    [Fact]
    public async Task Every_operation_has_its_own_request_schema_a_typed_success_and_the_error_envelope()
    {
        var document = await ServedAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();
        Assert.DoesNotContain(schemas, s => s.Key is "Command" or "Body" or "Result" or "Entry" or "Query");
        var requestSchemas = new Dictionary<string, string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operationNode) in item!.AsObject())
            {
                var operation = operationNode!.AsObject();
                var name = $"{method.ToUpperInvariant()} {path}";
                var responses = operation["responses"]!.AsObject();
                var success = responses.Where(r => r.Key.StartsWith('2')).ToList();
                Assert.True(success.Count > 0, $"{name} documents no success response");
                Assert.All(success, r => Assert.True(r.Value!["content"]?["application/json"]?["schema"] is not null, $"{name} {r.Key} has no JSON schema"));
                Assert.Equal("#/components/schemas/ErrorEnvelope", responses["4XX"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>());
                Assert.Equal("#/components/schemas/ErrorEnvelope", responses["5XX"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>());
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"];
                var reference = body?["$ref"]?.GetValue<string>() ?? body?["oneOf"]?.AsArray().Select(s => s?["$ref"]?.GetValue<string>()).OfType<string>().FirstOrDefault();
                if (reference is not null)
                {
                    Assert.False(requestSchemas.TryGetValue(reference, out var other), $"{name} and {other} share the request schema {reference}");
                    requestSchemas[reference] = name;
                }
            }
        }

        var order = schemas["CreateOrderCommand"]!;
        Assert.Equal(["amount", "buyer_id", "currency", "seller_id"], order["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.Equal(@"^usr_[0-9a-hjkmnp-tv-z]{26}$", schemas["OrderResponse"]!["properties"]!["buyer_id"]!["pattern"]!.GetValue<string>());
        Assert.Contains("FUNDS_RESERVED", schemas["OrderResponse"]!["properties"]!["status"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(@"^[0-9]{1,10}\.[0-9]{2}$", schemas["AmountText"]!["pattern"]!.GetValue<string>());
    }
}
