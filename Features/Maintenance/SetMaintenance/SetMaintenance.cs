using System.Text.Json;
using FluentValidation;
using Mediator;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Maintenance.SetMaintenance;

/// <summary>Switches maintenance mode on (with the operator's message) or off, for all instances.</summary>
public static class SetMaintenance
{
    public sealed record Command(bool Enabled, string? Message) : ICommand<MaintenanceState>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => Enabled ? "MAINTENANCE_ENABLE" : "MAINTENANCE_DISABLE";

        string IAuditedCommand.AuditResourceType => "instance";

        string? IAuditedCommand.AuditResourceId => MaintenanceState.Key;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Message).MustBePlainText(500);
    }

    public sealed class Handler(Db db, TimeProvider clock) : ICommandHandler<Command, MaintenanceState>
    {
        private const string UpsertSql = """
            INSERT INTO instance_settings (key, value, updated_at) VALUES ('maintenance', @value, @now)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """;

        public async ValueTask<MaintenanceState> Handle(Command command, CancellationToken cancellationToken)
        {
            var state = command.Enabled
                ? new MaintenanceState(true, command.Message ?? "The service is under maintenance; please retry shortly.", clock.GetUtcNow())
                : MaintenanceState.Off;
            await db.ExecuteAsync(UpsertSql, new { value = JsonSerializer.Serialize(state), now = clock.NowMs() }, cancellationToken);
            return state;
        }
    }
}
