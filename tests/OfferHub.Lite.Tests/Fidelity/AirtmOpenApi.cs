using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace OfferHub.Lite.Tests.Fidelity;

/// <summary>Airtm's published OpenAPI document (Enterprise API v2, 1.87.0, the copy committed beside
/// this file) turned into JSON Schemas that JsonSchema.Net evaluates. OpenAPI 3.0 schemas are
/// almost JSON Schema; the translation does exactly this and no more:
/// <list type="bullet">
/// <item><c>nullable: true</c> (3.0 only) becomes <c>"null"</c> added to <c>type</c>;</item>
/// <item><c>example</c> (OpenAPI's single example) becomes the 2020-12 annotation <c>examples</c>, and
/// <c>x-</c> extensions are dropped: both are annotations, and the 2020-12 dialect refuses unknown keywords;</item>
/// <item><c>#/components/schemas/X</c> references become <c>#/$defs/X</c> of a 2020-12 schema that
/// carries every component schema;</item>
/// <item>everything else is evaluated as written. So <c>format: uuid</c> and <c>date-time</c> are
/// asserted, <c>format: url</c> (not a JSON Schema format) and <c>example</c> are annotations, and
/// the document's <c>maximum: 250</c> on the pay-in description (a number keyword on a string)
/// checks nothing: that length is tested by the simulator tests instead.</item>
/// </list></summary>
public sealed partial class AirtmOpenApi
{
    public const string FileName = "airtm-enterprise-api-v2.openapi.json";

    private readonly JsonObject document;
    private readonly JsonObject defs;
    private readonly ConcurrentDictionary<string, JsonSchema> schemas = new();
    private readonly IReadOnlyList<(string Template, Regex Pattern, JsonObject Item)> paths;

    public static AirtmOpenApi Document { get; } = new(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fidelity", FileName)));

    public AirtmOpenApi(string json)
    {
        document = JsonNode.Parse(json)!.AsObject();
        defs = Translate(document["components"]!["schemas"])!.AsObject();
        paths = [.. document["paths"]!.AsObject()
            .Select(p => (p.Key, new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^}]+}", "[^/]+") + "$"), p.Value!.AsObject()))
            // A literal segment wins over a parameter (payouts/by-code/{code} before payouts/{id}/…).
            .OrderByDescending(p => p.Key.Split('/').Count(segment => !segment.StartsWith('{')))];
    }

    public string Version => document["info"]!["version"]!.GetValue<string>();

    public IEnumerable<string> WebhookTypes => document["webhooks"]!.AsObject().Select(w => w.Key);

    /// <summary>The path template of the document that <paramref name="path"/> (relative to the
    /// server's /v2) instantiates, or null.</summary>
    public string? TemplateOf(string method, string path) =>
        paths.FirstOrDefault(p => p.Pattern.IsMatch(path) && p.Item[method.ToLowerInvariant()] is not null).Template;

    public string OperationId(string method, string template) => Operation(method, template)["operationId"]!.GetValue<string>();

    /// <summary>The statuses the document lists for an operation ("default" is any error).</summary>
    public IReadOnlyList<string> Statuses(string method, string template) => [.. Operation(method, template)["responses"]!.AsObject().Select(r => r.Key)];

    /// <summary>Violations of an operation's request body schema.</summary>
    public IReadOnlyList<string> CheckRequest(string method, string template, string body) =>
        Check($"request {method} {template}", Operation(method, template)["requestBody"]?["content"]?["application/json"]?["schema"], body);

    /// <summary>Violations of the answer to an operation: its status must be listed (an error is
    /// the "default" response), its body must match that response's schema, and a response the
    /// document gives no content must be empty.</summary>
    public IReadOnlyList<string> CheckResponse(string method, string template, int status, string body)
    {
        var responses = Operation(method, template)["responses"]!.AsObject();
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = responses[key] ?? (status >= 400 ? responses["default"] : null);
        if (response is null)
        {
            return [$"{method} {template} answered {status}; the document lists {string.Join(", ", responses.Select(r => r.Key))}"];
        }

        var schema = response["content"]?["application/json"]?["schema"];
        if (schema is null)
        {
            return body.Length == 0 ? [] : [$"{method} {template} answered {status} with a body; the document gives it none"];
        }

        return Check($"response {method} {template} {key}", schema, body);
    }

    /// <summary>Violations of a webhook (callback) body: a documented type, and that type's schema.</summary>
    public IReadOnlyList<string> CheckWebhook(string body)
    {
        var type = JsonNode.Parse(body)?["type"]?.GetValue<string>();
        var schema = type is null ? null : document["webhooks"]![type]?["post"]?["requestBody"]?["content"]?["application/json"]?["schema"];
        return schema is null ? [$"callback of undocumented type {type}"] : Check($"webhook {type}", schema, body);
    }

    private JsonObject Operation(string method, string template) =>
        document["paths"]![template]![method.ToLowerInvariant()]!.AsObject();

    private List<string> Check(string key, JsonNode? openApiSchema, string body)
    {
        if (openApiSchema is null)
        {
            return [$"{key}: the document has no schema for it"];
        }

        var schema = schemas.GetOrAdd(key, _ =>
        {
            var root = Translate(openApiSchema)!.AsObject();
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            root["$defs"] = defs.DeepClone();
            return JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() },
                new Uri("https://airtm-openapi.offerhub.test/" + Uri.EscapeDataString(key.Replace(' ', '_'))));
        });
        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return [$"{key}: body is not JSON: {body}"];
        }

        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid)
        {
            return [];
        }

        var errors = (results.Details ?? []).Prepend(results)
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{key}: {d.InstanceLocation} ({d.EvaluationPath}) {e.Key}: {e.Value}"))
            .ToList();
        return errors.Count > 0 ? errors : [$"{key}: invalid: {body}"];
    }

    /// <summary>OpenAPI 3.0 → JSON Schema 2020-12, as the class summary says.</summary>
    private static JsonNode? Translate(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject source:
                var copy = new JsonObject();
                foreach (var (name, value) in source)
                {
                    if (name == "nullable" || name.StartsWith("x-", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (name == "example")
                    {
                        copy["examples"] = new JsonArray(value?.DeepClone());
                        continue;
                    }

                    copy[name] = name == "$ref" && value?.GetValue<string>() is { } target && target.StartsWith("#/components/schemas/", StringComparison.Ordinal)
                        ? "#/$defs/" + target["#/components/schemas/".Length..]
                        : Translate(value);
                }

                if (source["nullable"] is JsonValue nullable && nullable.GetValue<bool>())
                {
                    if (copy["type"] is JsonValue type)
                    {
                        copy["type"] = new JsonArray(type.GetValue<string>(), "null");
                    }
                    else
                    {
                        return new JsonObject { ["anyOf"] = new JsonArray(copy, new JsonObject { ["type"] = "null" }) };
                    }
                }

                return copy;
            case JsonArray items:
                return new JsonArray([.. items.Select(Translate)]);
            default:
                return node?.DeepClone();
        }
    }
}
