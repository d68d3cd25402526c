using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace OfferHub.Lite.Tests.Support;

/// <summary>The served OpenAPI document as a checker: every response the tests receive must
/// validate against the schema the document gives for its operation and status, and every
/// request body the server accepted must validate against the operation's request schema.
/// <see cref="TestApp.Client"/> puts <see cref="Handler"/> on every test client, so each test's
/// traffic checks the document as a side effect.</summary>
public sealed partial class OpenApiContract
{
    private const string ComponentsUri = "urn:offerhub:components";
    private static readonly SemaphoreSlim LoadGate = new(1, 1);
    private static OpenApiContract? loaded;

    private readonly List<Operation> operations;
    private readonly SchemaRegistry registry = new();
    private readonly ConcurrentDictionary<string, JsonSchema> built = new(StringComparer.Ordinal);
    private readonly Lock buildGate = new();
    private int nextSchema;

    private OpenApiContract(JsonObject document)
    {
        var components = new JsonObject { ["$defs"] = Rewrite(document["components"]?["schemas"]?.DeepClone() ?? new JsonObject()) };
        JsonSchema.Build(JsonDocument.Parse(components.ToJsonString()).RootElement.Clone(), new BuildOptions { SchemaRegistry = registry }, new Uri(ComponentsUri));
        operations = [];
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                operations.Add(new Operation(method.ToUpperInvariant(), path, Matcher(path), operation!.AsObject()));
            }
        }

        // Literal segments win over templates ("/users/{id}" must not swallow "/users/me").
        operations.Sort((a, b) => Templates(a.Path).CompareTo(Templates(b.Path)));
    }

    public static async Task<OpenApiContract> LoadAsync(HttpMessageHandler server)
    {
        if (loaded is not null)
        {
            return loaded;
        }

        await LoadGate.WaitAsync();
        try
        {
            if (loaded is null)
            {
                using var client = new HttpClient(server, disposeHandler: false) { BaseAddress = new Uri("http://localhost") };
                var text = await client.GetStringAsync("/openapi/v1.json");
                loaded = new OpenApiContract(JsonNode.Parse(text)!.AsObject());
            }

            return loaded;
        }
        finally
        {
            LoadGate.Release();
        }
    }

    /// <summary>The violations of one exchange, empty when it matches the document.</summary>
    public IReadOnlyList<string> Check(string method, string path, string? requestJson, int status, string? responseJson)
    {
        var operation = operations.FirstOrDefault(o => o.Method == method && o.Pattern.IsMatch(path));
        var where = $"{method} {path} → {status}";
        if (operation is null)
        {
            // No operation: only the framework's own answers (unknown route, wrong method) may come back.
            return status is 404 or 405 && responseJson is not null ? Validate(where, "response", SchemaRef("ErrorEnvelope"), responseJson) : [];
        }

        var violations = new List<string>();
        if (status is >= 200 and < 300 && requestJson is not null && operation.RequestSchema is { } requestSchema)
        {
            violations.AddRange(Validate(where, "request body", requestSchema, requestJson));
        }

        if (responseJson is null)
        {
            return violations;
        }

        var responses = operation.Definition["responses"]!.AsObject();
        var response = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses[$"{status / 100}XX"] ?? responses["default"];
        var schema = response?["content"]?["application/json"]?["schema"];
        if (schema is null)
        {
            violations.Add($"{where}: the document describes no JSON body for this status ({operation.Method} {operation.Path})");
        }
        else
        {
            violations.AddRange(Validate(where, "response", schema, responseJson));
        }

        return violations;
    }

    private List<string> Validate(string where, string what, JsonNode schemaNode, string json)
    {
        var schema = Build(schemaNode);
        using var instance = JsonDocument.Parse(json);
        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        var errors = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
            .Take(8)
            .ToList();
        if (errors.Count == 0)
        {
            errors.Add(JsonSerializer.Serialize(result));
        }

        return [$"{where}: the {what} does not match the document: {string.Join("; ", errors)}\n  body: {Truncate(json)}"];
    }

    private JsonSchema Build(JsonNode schemaNode)
    {
        var text = Rewrite(schemaNode.DeepClone()).ToJsonString();
        if (built.TryGetValue(text, out var schema))
        {
            return schema;
        }

        lock (buildGate)
        {
            if (!built.TryGetValue(text, out schema))
            {
                var uri = new Uri($"urn:offerhub:schema:{nextSchema++}");
                schema = JsonSchema.Build(JsonDocument.Parse(text).RootElement.Clone(), new BuildOptions { SchemaRegistry = registry }, uri);
                built[text] = schema;
            }

            return schema;
        }
    }

    private static JsonObject SchemaRef(string id) => new JsonObject { ["$ref"] = "#/components/schemas/" + id };

    /// <summary>The document's references point into components; the checker keeps those
    /// schemas as one registered document of $defs.</summary>
    private static JsonNode Rewrite(JsonNode node) =>
        JsonNode.Parse(node.ToJsonString().Replace("\"#/components/schemas/", $"\"{ComponentsUri}#/$defs/", StringComparison.Ordinal))!;

    private static Regex Matcher(string path) =>
        new("^" + TemplatePattern().Replace(Regex.Escape(path).Replace(@"\{", "{", StringComparison.Ordinal), "[^/]+") + "$", RegexOptions.CultureInvariant);

    private static int Templates(string path) => path.Count(c => c == '{');

    private static string Truncate(string text) => text.Length <= 600 ? text : text[..600] + "…";

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex TemplatePattern();

    private sealed record Operation(string Method, string Path, Regex Pattern, JsonObject Definition)
    {
        public JsonNode? RequestSchema => Definition["requestBody"]?["content"]?["application/json"]?["schema"];
    }

    /// <summary>Checks each exchange of the client it sits in; a mismatch fails the request,
    /// and so the test, with what differs.</summary>
    public sealed class Handler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Bytes, not ReadAsStringAsync: the bad-input tests send charsets .NET cannot decode.
            var requestJson = IsJson(request.Content?.Headers.ContentType) ? Encoding.UTF8.GetString(await request.Content!.ReadAsByteArrayAsync(cancellationToken)) : null;
            var response = await base.SendAsync(request, cancellationToken);
            var path = request.RequestUri!.AbsolutePath;
            // Streams (SSE) and other media are not JSON documents; they pass unread.
            if (!path.StartsWith("/api/v1/", StringComparison.Ordinal) || response.Content.Headers.ContentType is { } media && !IsJson(media))
            {
                return response;
            }

            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var responseJson = IsJson(response.Content.Headers.ContentType) ? await response.Content.ReadAsStringAsync(cancellationToken) : null;
            if (!IsParsableJson(requestJson))
            {
                requestJson = null;
            }

            if (!IsParsableJson(responseJson))
            {
                responseJson = null;
            }

            var contract = await LoadAsync(InnerHandler!);
            var violations = contract.Check(request.Method.Method, path, requestJson, (int)response.StatusCode, responseJson);
            if (violations.Count > 0)
            {
                throw new InvalidOperationException("OpenAPI contract violated:\n" + string.Join("\n", violations));
            }

            return response;
        }

        private static bool IsJson(MediaTypeHeaderValue? type) => type?.MediaType is "application/json";

        private static bool IsParsableJson(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return false;
            }

            try
            {
                using var _ = JsonDocument.Parse(text);
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }
}
