using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Foundation;

/// <summary>Every operation of the app's own OpenAPI document, fed every family of bad input:
/// each answer is a 4xx in the error envelope (or a success), never a 5xx. The requests are
/// generated from the document, so every route and field it describes is covered, and the sweep
/// grows with the document.</summary>
public sealed class OpenApiSweepTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string Json = "application/json";

    /// <summary>Strings no amount may be: non-ASCII digits, surrounding whitespace, other shapes.</summary>
    private static readonly JsonNode?[] BadAmounts =
        ["\u0661\u0660.\u0660\u0660", "\uFF11\uFF10.00", "10.00\n", " 10.00", "10.00 ", "1e3", "-1.00", "10", "0.001", "99999999999.00", 10, 10.5, null];

    /// <summary>Values of the wrong type for any field.</summary>
    private static readonly JsonNode?[] WrongTypes = [null, 7, -1, 1e300, true, "x", "", "\u0000", new string('z', 5000), new JsonObject(), new JsonArray()];

    /// <summary>List values with null elements and elements of the wrong type.</summary>
    private static readonly JsonNode?[] BadLists =
        [new JsonArray((JsonNode?)null), new JsonArray(1, 2), new JsonArray("x", null), new JsonArray(new JsonObject()), new JsonArray(new JsonArray()), new JsonArray(true)];

    /// <summary>Every media type and charset a body may be sent with.</summary>
    private static readonly string[] MediaTypes =
    [
        "application/json; charset=bogus", "application/json; charset=utf-16", "application/json; charset=\"latin1\"", "application/json; charset=",
        "application/json;;", "application/json; boundary=x; charset=utf-8; charset=bogus", "text/plain", "text/json; charset=bogus",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/problem+json; charset=bogus", "*/*", "application/",
        "application/xml",
    ];

    [SkippableTheory]
    [MemberData(nameof(Dialects.All), MemberType = typeof(Dialects))]
    public async Task Every_operation_answers_every_bad_input_family_with_a_4xx_envelope(Dialect dialect)
    {
        var app = fixture.Get(dialect);
        using var writer = await app.ClientWithScopesAsync("read", "write", "support");
        using var master = app.Master();
        var document = JsonNode.Parse(await (await app.Client().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!;
        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 40, $"the OpenAPI document lists only {operations.Count} operations");

        var failures = new List<string>();
        var sent = 0;
        foreach (var operation in operations)
        {
            foreach (var probe in Probes(document, operation))
            {
                sent++;
                if (await SendAsync(writer, master, operation, probe) is { } failure)
                {
                    failures.Add(failure);
                }
            }
        }

        var errors = app.Logs.Lines.Where(l => l.Contains("Unhandled error", StringComparison.Ordinal))
            .Select(l => l[Math.Max(0, l.IndexOf("Exception:", StringComparison.Ordinal) - 40)..].Split('\n')[0]).Distinct().Take(10);
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests were not a 4xx envelope:\n" + string.Join("\n", failures.Take(40))
            + "\nlogged:\n" + string.Join("\n", errors));
    }

    private sealed record Operation(string Method, string Path, JsonNode Node);

    private sealed record Probe(string Name, string Path, string? Body, string? ContentType);

    private static IEnumerable<Operation> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (method is "get" or "post" or "put" or "patch" or "delete")
                {
                    yield return new Operation(method.ToUpperInvariant(), path, node!);
                }
            }
        }
    }

    private static IEnumerable<Probe> Probes(JsonNode document, Operation operation)
    {
        var parameters = (operation.Node["parameters"]?.AsArray() ?? []).Select(p => Resolve(document, p!)).ToList();
        var pathNames = parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!).ToList();
        var query = parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!).ToList();
        var basePath = Fill(operation.Path, pathNames, name => "x_01aaaaaaaaaaaaaaaaaaaaaaaa");

        // Path parameters: foreign shapes, non-ASCII, too long.
        foreach (var junk in new[] { "\u0661\u0660", "%E2%80%AE", "a%20b", new string('y', 600), "..%2F..", "usr_01aaaaaaaaaaaaaaaaaaaaaaaa" })
        {
            foreach (var name in pathNames)
            {
                yield return new Probe($"path {name}={junk}", Fill(operation.Path, pathNames, n => n == name ? junk : "x_01aaaaaaaaaaaaaaaaaaaaaaaa"), null, null);
            }
        }

        // Query parameters: every declared one with values of the wrong kind.
        foreach (var name in query)
        {
            foreach (var junk in new[] { "\u0661\u0660", "-1", "0", "99999999999999999999", "abc", "%FF", new string('q', 600), "10.00%0A", "" })
            {
                yield return new Probe($"query {name}={junk}", $"{basePath}?{name}={junk}", null, null);
            }
        }

        if (operation.Method is "GET" or "DELETE")
        {
            yield break;
        }

        var schema = operation.Node["requestBody"]?["content"]?[Json]?["schema"] is { } s ? Resolve(document, s) : null;
        var sample = schema is null ? new JsonObject() : Sample(document, schema, 0) as JsonObject ?? new JsonObject();

        // Whole bodies: every media type and charset, and roots that are not objects.
        foreach (var mediaType in MediaTypes)
        {
            yield return new Probe($"content-type {mediaType}", basePath, sample.ToJsonString(), mediaType);
        }

        foreach (var body in new[] { "", "null", "[]", "[null]", "7", "\"x\"", "{", "{\"a\":1,\"a\":2}", "\uFEFF{}", new string('[', 100) + new string(']', 100) })
        {
            yield return new Probe($"body {body}", basePath, body, Json);
        }

        // Every field the schema names, replaced by every bad value of its family; and every field
        // any other request of the document names, sent here too, with a few bad values.
        var own = schema?["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];
        foreach (var field in RequestFieldNames(document).Except(own))
        {
            foreach (var value in new JsonNode?[] { new JsonArray((JsonNode?)null), 7 }.Concat(IsAmount(field, null) ? BadAmounts.Take(3) : []))
            {
                var body = (JsonObject)sample.DeepClone();
                body[field] = value?.DeepClone();
                yield return new Probe($"foreign field {field}={value?.ToJsonString() ?? "null"}", basePath, body.ToJsonString(), Json);
            }
        }

        foreach (var field in own)
        {
            var property = Resolve(document, schema!["properties"]![field]!);
            var values = WrongTypes.Concat(BadLists).Concat(IsAmount(field, property) ? BadAmounts : []);
            foreach (var value in values)
            {
                var body = (JsonObject)sample.DeepClone();
                body[field] = value?.DeepClone();
                yield return new Probe($"field {field}={value?.ToJsonString() ?? "null"}", basePath, body.ToJsonString(), Json);
            }

            // A list of objects: each field of the element, wrong in its turn.
            if (property["items"] is { } items && Resolve(document, items) is { } element && element["properties"] is JsonObject elementProperties)
            {
                foreach (var (inner, innerSchema) in elementProperties)
                {
                    var innerValues = WrongTypes.Concat(IsAmount(inner, Resolve(document, innerSchema!)) ? BadAmounts : []);
                    foreach (var value in innerValues)
                    {
                        var item = Sample(document, element, 1) as JsonObject ?? new JsonObject();
                        item[inner] = value?.DeepClone();
                        var body = (JsonObject)sample.DeepClone();
                        body[field] = new JsonArray(item);
                        yield return new Probe($"field {field}[0].{inner}={value?.ToJsonString() ?? "null"}", basePath, body.ToJsonString(), Json);
                    }
                }
            }
        }
    }

    private static async Task<string?> SendAsync(HttpClient writer, HttpClient master, Operation operation, Probe probe)
    {
        var (status, text, response) = await SendOnceAsync(writer, operation, probe);
        if (status == 403 && text.Contains("INSUFFICIENT_SCOPE", StringComparison.Ordinal))
        {
            response.Dispose();
            (status, text, response) = await SendOnceAsync(master, operation, probe);
        }

        using (response)
        {
            var what = $"{operation.Method} {Truncate(probe.Path)} [{Truncate(probe.Name)}] answered {status}: {Truncate(text)}";
            if (status >= 500)
            {
                return what;
            }

            if (status >= 400)
            {
                try
                {
                    Http.AssertEnvelope(response, text);
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException or JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    return what + " (not the error envelope)";
                }
            }

            return null;
        }
    }

    private static async Task<(int Status, string Text, HttpResponseMessage Response)> SendOnceAsync(HttpClient client, Operation operation, Probe probe)
    {
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), probe.Path);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (probe.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(probe.Body));
            if (probe.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", probe.ContentType);
            }
        }

        // A live stream answers its headers and then stays open: its status is all that counts.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var text = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? string.Empty : await response.Content.ReadAsStringAsync(timeout.Token);
        return ((int)response.StatusCode, text, response);
    }

    private static string Fill(string template, List<string> names, Func<string, string> value)
    {
        foreach (var name in names)
        {
            template = template.Replace("{" + name + "}", value(name), StringComparison.Ordinal);
        }

        return template;
    }

    private static bool IsAmount(string field, JsonNode? schema) =>
        field.Contains("amount", StringComparison.Ordinal) || ((string?)schema?["pattern"])?.Contains(".[0-9]{2}", StringComparison.Ordinal) == true;

    /// <summary>The field names of every request body in the document, and of the objects in their lists.</summary>
    private static SortedSet<string> RequestFieldNames(JsonNode document)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var operation in Operations(document))
        {
            if (operation.Node["requestBody"]?["content"]?[Json]?["schema"] is not { } schema)
            {
                continue;
            }

            foreach (var (name, property) in Resolve(document, schema)["properties"]?.AsObject() ?? [])
            {
                names.Add(name);
                var items = property is null ? null : Resolve(document, property)["items"];
                foreach (var (inner, _) in items is null ? [] : Resolve(document, items)["properties"]?.AsObject() ?? [])
                {
                    names.Add(inner);
                }
            }
        }

        return names;
    }

    private static JsonNode Resolve(JsonNode document, JsonNode node)
    {
        for (var depth = 0; depth < 10 && node["$ref"] is { } reference; depth++)
        {
            var target = document;
            foreach (var part in ((string)reference!).TrimStart('#', '/').Split('/'))
            {
                target = target[part]!;
            }

            node = target;
        }

        return node;
    }

    /// <summary>A plausible value for a schema, so that a mutation of one field is the only fault.</summary>
    private static JsonNode? Sample(JsonNode document, JsonNode schema, int depth)
    {
        schema = Resolve(document, schema);
        if (schema["enum"] is JsonArray { Count: > 0 } values)
        {
            return values[0]?.DeepClone();
        }

        var type = schema["type"] switch
        {
            JsonValue value => (string?)value,
            JsonArray types => types.Select(t => (string?)t).FirstOrDefault(t => t != "null"),
            _ => null,
        };
        if (schema["pattern"] is not null && type == "string")
        {
            return "10.00";
        }

        return type switch
        {
            "string" => "sample",
            "integer" => 60,
            "number" => 1,
            "boolean" => true,
            "array" when depth < 3 && schema["items"] is { } items => new JsonArray(Sample(document, items, depth + 1)),
            "array" => new JsonArray(),
            _ when depth < 3 && schema["properties"] is JsonObject properties =>
                new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, Sample(document, p.Value!, depth + 1)))),
            _ => new JsonObject(),
        };
    }

    private static string Truncate(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
