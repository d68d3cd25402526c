using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Idempotency;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.OpenApi;

/// <summary>The OpenAPI document is generated from the endpoints; this adds what metadata
/// alone does not say: one schema name per type, which request fields are required (from the
/// validators), amount, id and timestamp formats, status enums, examples, the error envelope on
/// every operation, bearer auth and the Idempotency-Key header.</summary>
public static class OpenApiSetup
{
    public const string ErrorSchema = "ErrorEnvelope";
    public const string AmountPattern = Money.Amount.SchemaPattern;
    public const string SignedAmountPattern = @"^-?[0-9]{1,10}\.[0-9]{2}$";

    /// <summary>Fields that carry money as 2-decimal strings, beside every "amount" and "*_amount".</summary>
    private static readonly HashSet<string> AmountFields = ["available", "reserved", "pending_withdrawal", "total", "balance_after", "airtm_fee", "min_topup_amount"];

    private static readonly string[] ErrorRanges = ["4XX", "5XX"];

    private static readonly Lazy<ApiSchemaFacts> Facts = new(ApiSchemaFacts.Discover);

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.CreateSchemaReferenceId = SchemaIds.For;
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
                // Amounts travel as 2-decimal strings; the converter accepts anything so that
                // a wrong one gets INVALID_AMOUNT_FORMAT, but the contract is a string.
                if (type == typeof(Money.AmountText))
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Pattern = AmountPattern;
                    Example(schema, "100.00");
                    schema.Properties?.Clear();
                }

                // The timestamp converter hides the type from the generator.
                if (type == typeof(DateTimeOffset))
                {
                    var nullable = context.JsonTypeInfo.Type == typeof(DateTimeOffset?) || context.JsonPropertyInfo?.PropertyType == typeof(DateTimeOffset?);
                    schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
                    schema.Format = "date-time";
                    Example(schema, "2026-01-12T10:00:00.000Z");
                }

                // Metadata and event payloads are free JSON objects.
                if (type == typeof(JsonElement))
                {
                    schema.Type = JsonSchemaType.Object;
                    schema.Description ??= "A JSON object (metadata: at most 16 KiB).";
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IdempotencyPolicy>().Any())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyFilter.Header,
                        In = ParameterLocation.Header,
                        Required = true,
                        Description = "1-255 characters; a UUID is typical. Send the same key again to retry safely.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
                        Example = JsonValue.Create("5f1c7a52-1c1e-4c39-9a55-2f1d8e2b7c10"),
                    });
                }

                var requirement = metadata.OfType<AuthRequirement>().LastOrDefault();
                if (requirement is { IsPublic: false })
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] });
                    operation.Description = $"Requires: {(requirement.Scope == "*" ? "any valid token" : requirement.Scope + " scope")}. {operation.Description}".Trim();
                }

                // Any error, from any middleware, is the envelope: auth, rate limits, maintenance,
                // body limits and unexpected failures reach every operation.
                operation.Responses ??= [];
                foreach (var range in ErrorRanges)
                {
                    operation.Responses[range] = new OpenApiResponse
                    {
                        Description = range == "4XX" ? "The request was refused (error envelope)" : "The server or a provider failed (error envelope)",
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = new OpenApiSchemaReference(ErrorSchema, context.Document) },
                        },
                    };
                }

                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, context, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "OfferHub.Lite",
                    Version = "v1",
                    Description = "Self-hosted payments orchestrator: balances, top-ups, escrow, disputes, withdrawals. "
                                  + "Amounts are strings with two decimals, ids carry a type prefix, timestamps are UTC with milliseconds.",
                };
                // The document does not depend on where it was fetched from: clients set their base URL.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "Master key, API key (ohk_test_/ohk_live_) or short-lived token (ohk_tok_), optionally bound to one user.",
                };
                var schemas = document.Components.Schemas ?? throw new InvalidOperationException("The document has no schemas.");
                var bodies = RequestSchemaIds(document).ToList();
                foreach (var requestSchema in bodies)
                {
                    MarkRequired(requestSchema, schemas, context.ApplicationServices);
                }

                // Records nested in a body (milestones, terms, destination) are checked by child
                // rules the validator descriptor does not expose; their required fields are facts.
                foreach (var nested in bodies.SelectMany(id => NestedIds(schemas, id, [])).Distinct().Except(bodies))
                {
                    if (schemas.TryGetValue(nested, out var found) && found is OpenApiSchema { Properties: { } properties } schema)
                    {
                        var required = Facts.Value.Required.GetValueOrDefault(nested) ?? [];
                        schema.Required = new HashSet<string>(properties.Keys.Where(required.Contains), StringComparer.Ordinal);
                        foreach (var name in schema.Required)
                        {
                            properties[name] = NotNull(properties[name]);
                        }
                    }
                }

                Describe(schemas, Facts.Value);
                return Task.CompletedTask;
            });
        });

    private static IEnumerable<string> RequestSchemaIds(OpenApiDocument document) =>
        (document.Paths?.Values.AsEnumerable() ?? [])
        .SelectMany(path => path.Operations?.Values.AsEnumerable() ?? [])
        .Select(operation => operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var media) ? media.Schema : null)
        .Select(schema => schema switch
        {
            OpenApiSchemaReference reference => reference.Reference.Id,
            OpenApiSchema { OneOf: { } oneOf } => oneOf.OfType<OpenApiSchemaReference>().FirstOrDefault()?.Reference.Id,
            _ => null,
        })
        .OfType<string>()
        .Distinct();

    private static IEnumerable<string> NestedIds(IDictionary<string, IOpenApiSchema> schemas, string id, HashSet<string> seen)
    {
        if (!seen.Add(id) || !schemas.TryGetValue(id, out var schema))
        {
            return [];
        }

        return References(schema).SelectMany(child => NestedIds(schemas, child, seen).Prepend(child));
    }

    private static IEnumerable<string> References(IOpenApiSchema? schema) => schema switch
    {
        OpenApiSchemaReference reference => reference.Reference.Id is { } id ? [id] : [],
        OpenApiSchema inline => (inline.Properties?.Values ?? Enumerable.Empty<IOpenApiSchema>())
            .Concat(inline.OneOf ?? []).Concat(inline.AnyOf ?? []).Append(inline.Items).SelectMany(References),
        _ => [],
    };

    /// <summary>Request records are all nullable so that a missing field gets VALIDATION_ERROR
    /// rather than a parse failure; the validators say which fields a client must send.</summary>
    private static void MarkRequired(string schemaId, IDictionary<string, IOpenApiSchema> schemas, IServiceProvider services)
    {
        if (!schemas.TryGetValue(schemaId, out var found) || found is not OpenApiSchema schema || schema.Properties is null || SchemaIds.TypeOf(schemaId) is not { } type)
        {
            return;
        }

        var required = RequiredByValidators(type, services);
        schema.Required = new HashSet<string>(schema.Properties.Keys.Where(required.Contains), StringComparer.Ordinal);
        foreach (var name in schema.Required)
        {
            schema.Properties[name] = NotNull(schema.Properties[name]);
        }
    }

    private static HashSet<string> RequiredByValidators(Type type, IServiceProvider services)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        var validatorTypes = (type.DeclaringType?.GetNestedTypes() ?? [])
            .Where(t => !t.IsAbstract && typeof(IValidator).IsAssignableFrom(t));
        foreach (var validatorType in validatorTypes)
        {
            var validator = (IValidator)ActivatorUtilities.CreateInstance(services, validatorType);
            foreach (var member in validator.CreateDescriptor().GetMembersWithValidators())
            {
                var unconditional = member.Any(rule => rule.Validator is INotNullValidator or INotEmptyValidator
                                                       && !rule.Options.HasCondition && !rule.Options.HasAsyncCondition);
                if (unconditional)
                {
                    required.Add(member.Key.Contains('.', StringComparison.Ordinal) ? member.Key : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Key));
                }
            }
        }

        return required;
    }

    private static IOpenApiSchema NotNull(IOpenApiSchema property)
    {
        switch (property)
        {
            case OpenApiSchema { OneOf: { Count: 2 } oneOf } when oneOf.Any(IsNullSchema):
                return oneOf.First(s => !IsNullSchema(s));
            case OpenApiSchema { Type: { } type } inline when type.HasFlag(JsonSchemaType.Null):
                inline.Type = type & ~JsonSchemaType.Null;
                return inline;
            default:
                return property;
        }
    }

    private static void Example(OpenApiSchema schema, string value) => schema.Examples = [JsonValue.Create(value)];

    private static bool IsNullSchema(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };

    /// <summary>Formats, prefixes, enums and examples by field, from the conventions of api.md
    /// and the facts the features contribute.</summary>
    private static void Describe(IDictionary<string, IOpenApiSchema> schemas, ApiSchemaFacts facts)
    {
        foreach (var (schemaId, schemaValue) in schemas)
        {
            if (schemaValue is not OpenApiSchema { Properties: { } properties })
            {
                continue;
            }

            foreach (var (field, propertyValue) in properties)
            {
                if (propertyValue is not OpenApiSchema property || property.Type is not { } type || !type.HasFlag(JsonSchemaType.String))
                {
                    continue;
                }

                if (field == "amount" || field.EndsWith("_amount", StringComparison.Ordinal) || AmountFields.Contains(field))
                {
                    var signed = facts.SignedAmounts.Contains(schemaId) && field == "amount";
                    property.Pattern = signed ? SignedAmountPattern : AmountPattern;
                    Example(property, signed ? "-100.00" : "100.00");
                }
                else if (field == "currency")
                {
                    Example(property, "USD");
                }

                var prefix = field == "id" ? facts.ResourceIds.GetValueOrDefault(schemaId) : facts.IdFields.GetValueOrDefault(field);
                if (prefix is not null)
                {
                    property.Pattern = $"^{prefix}_[0-9a-hjkmnp-tv-z]{{{Ids.BodyLength}}}$";
                    Example(property, prefix + "_01jd8x9k2m3n4p5q6r7s8t9v0w");
                }

                if (facts.Enums.TryGetValue((schemaId, field), out var values))
                {
                    // A nullable field keeps its null; its values are listed in words.
                    if (type.HasFlag(JsonSchemaType.Null))
                    {
                        property.Description = "One of " + string.Join(", ", values) + ", or null.";
                    }
                    else
                    {
                        property.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
                    }

                    Example(property, values[0]);
                }
            }
        }

        var unknown = facts.ResourceIds.Keys.Where(id => !schemas.ContainsKey(id))
            .Concat(facts.Enums.Keys.Where(key => !schemas.TryGetValue(key.Schema, out var s) || s is not OpenApiSchema { Properties: { } p } || !p.ContainsKey(key.Field)).Select(key => $"{key.Schema}.{key.Field}"))
            .Concat(facts.SignedAmounts.Where(id => !schemas.ContainsKey(id)))
            .ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException("API schema facts name schemas or fields the document does not have: " + string.Join(", ", unknown));
        }
    }
}

/// <summary>One schema name per CLR type: nested request and response records are named with
/// their use case ("CreateOrderCommand", "ReserveFundsResult"), generics by their arguments
/// ("PageOfOrderResponse"), and two types that would still share a name stop the document.</summary>
public static class SchemaIds
{
    private static readonly ConcurrentDictionary<string, Type> Types = new(StringComparer.Ordinal);

    public static string? For(JsonTypeInfo info)
    {
        if (OpenApiOptions.CreateDefaultSchemaReferenceId(info) is null)
        {
            return null;
        }

        // A nullable struct shares its schema with the struct; nullability lives on the field.
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        var id = Name(type);
        var owner = Types.GetOrAdd(id, type);
        return owner == type ? id : throw new InvalidOperationException($"Schema id {id} names both {owner.FullName} and {type.FullName}.");
    }

    public static Type? TypeOf(string id) => Types.GetValueOrDefault(id);

    private static string Name(Type type)
    {
        var name = type.IsGenericType
            ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "Of" + string.Concat(type.GetGenericArguments().Select(Name))
            : type.Name;
        return type.IsNested && type.DeclaringType is { } outer ? Name(outer) + name : name;
    }
}
