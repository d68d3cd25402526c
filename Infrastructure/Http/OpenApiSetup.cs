using Microsoft.OpenApi;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Idempotency;

namespace OfferHub.Lite.Infrastructure.Http;

/// <summary>The OpenAPI document is generated from the endpoints; this adds what metadata
/// alone does not say: bearer auth and the Idempotency-Key header.</summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // Amounts travel as 2-decimal strings; the converter accepts anything so that
                // a wrong one gets INVALID_AMOUNT_FORMAT, but the contract is a string.
                if (context.JsonTypeInfo.Type == typeof(Money.AmountText))
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Pattern = Money.Amount.SchemaPattern;
                    schema.Properties?.Clear();
                }

                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "OfferHub.Lite",
                    Version = "v1",
                    Description = "Self-hosted payments orchestrator: balances, top-ups, escrow, disputes, withdrawals.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "Master key, API key (ohk_test_/ohk_live_) or short-lived token (ohk_tok_).",
                };
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
                        Description = "1-255 characters; a UUID is typical.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
                    });
                }

                var requirement = metadata.OfType<AuthRequirement>().LastOrDefault();
                if (requirement is { IsPublic: false })
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] });
                    operation.Description = $"Requires: {(requirement.Scope == "*" ? "any valid token" : requirement.Scope + " scope")}. {operation.Description}".Trim();
                }

                return Task.CompletedTask;
            });
        });
}
