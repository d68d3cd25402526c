using System.Text.Json;
using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Webhooks;

namespace OfferHub.Lite.Features.WebhookEndpoints.CreateWebhookEndpoint;

/// <summary>Registers an endpoint of the marketplace's backend for events of the given types; the
/// signing secret (whsec_...) is shown in this response only. Events sequenced from now on are delivered.</summary>
public static class CreateWebhookEndpoint
{
    public sealed record Command(string? Url, IReadOnlyList<string>? Types, string? Description) : ICommand<WebhookEndpointResponse>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "WEBHOOK_ENDPOINT_CREATE";

        string IAuditedCommand.AuditResourceType => "webhook_endpoint";
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(OfferHubOptions options)
        {
            RuleFor(c => c.Url).NotEmpty().MustBeCallbackUrl(!options.IsProduction);
            RuleFor(c => c.Types).NotEmpty().Must(t => t is null || t.Count <= 50).WithMessage("must list 1 to 50 event types");
            RuleForEach(c => c.Types).NotEmpty().Matches(@"^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$").WithMessage("must be an event type; 'order.*' and '*' are wildcards");
            RuleFor(c => c.Description).MustBePlainText(500);
        }
    }

    public sealed class Handler(Db db, TimeProvider clock) : ICommandHandler<Command, WebhookEndpointResponse>
    {
        private const string InsertSql = """
            INSERT INTO webhook_endpoints (id, url, types, description, secret, status, created_at, updated_at)
            VALUES (@Id, @Url, @Types, @Description, @Secret, @Status, @CreatedAt, @UpdatedAt)
            """;

        public async ValueTask<WebhookEndpointResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = clock.NowMs();
            var endpoint = new WebhookEndpointRow(Ids.New("whe"), command.Url!, JsonSerializer.Serialize(command.Types!.Distinct().ToList()), command.Description,
                WebhookSignature.NewSecret(), "ACTIVE", null, now, now);
            await db.ExecuteAsync(InsertSql, endpoint, cancellationToken);
            return endpoint.ToResponse(endpoint.Secret);
        }
    }
}
