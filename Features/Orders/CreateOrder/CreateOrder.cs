using System.Text.Json;
using FluentValidation;
using Mediator;
using OfferHub.Lite.Features.Users;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Orders.CreateOrder;

public static class CreateOrder
{
    public const int MaxMilestones = 50;

    public sealed record Command(
        string? BuyerId,
        string? SellerId,
        AmountText? Amount,
        string? Currency,
        string? ClientOrderRef,
        string? Title,
        string? Description,
        IReadOnlyList<MilestoneInput>? Milestones,
        JsonElement? Metadata) : ICommand<OrderResponse>, IAuditedCommand
    {
        string IAuditedCommand.AuditAction => "ORDER_CREATE";

        string IAuditedCommand.AuditResourceType => "order";
    }

    public sealed record MilestoneInput(string? MilestoneRef, string? Title, AmountText? Amount);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(OfferHubOptions options)
        {
            RuleFor(c => c.BuyerId).NotEmpty().MustBePlainText(40);
            RuleFor(c => c.SellerId).NotEmpty().MustBePlainText(40)
                .NotEqual(c => c.BuyerId).WithMessage("must differ from buyer_id")
                .When(c => !string.IsNullOrEmpty(c.SellerId), ApplyConditionTo.CurrentValidator);
            RuleFor(c => c.Amount).NotNull().MustBeAmount();
            RuleFor(c => c.Currency).NotEmpty().MustBeCurrency(options.Currencies);
            RuleFor(c => c.ClientOrderRef).MustBePlainText(100);
            RuleFor(c => c.Title).MustBePlainText(200);
            RuleFor(c => c.Description).Must(d => d is null || d.Length <= 2000).WithMessage("must be at most 2000 characters");
            RuleFor(c => c.Metadata).MustBeMetadata();
            RuleFor(c => c.Milestones)
                .Must(m => m is null || m.Count is >= 1 and <= MaxMilestones).WithMessage($"must list 1 to {MaxMilestones} milestones")
                .Must(m => m is null || m.Select(x => x.MilestoneRef).Distinct().Count() == m.Count).WithMessage("milestone_ref values must be unique")
                .Must((c, m) => m is null || !c.Amount.HasValue || !c.Amount.Value.IsValid || m.Any(x => x.Amount is not { IsValid: true })
                                || m.Sum(x => x.Amount!.Value.Cents) == c.Amount.Value.Cents)
                .WithMessage("milestone amounts must add up to the order amount");
            RuleForEach(c => c.Milestones).ChildRules(milestone =>
            {
                milestone.RuleFor(m => m.MilestoneRef).NotEmpty().MustBePlainText(100);
                milestone.RuleFor(m => m.Title).MustBePlainText(200);
                milestone.RuleFor(m => m.Amount).NotNull().MustBeAmount();
            });
        }
    }

    public sealed class Handler(Db db, Outbox outbox, OrderTransitions transitions, OfferHubOptions options, TimeProvider clock)
        : ICommandHandler<Command, OrderResponse>
    {
        private const string UsersSql = $"SELECT {UserRow.Columns} FROM users WHERE id IN @ids";

        private const string InsertSql = """
            INSERT INTO orders (id, client_order_ref, status, buyer_id, seller_id, amount, currency, title, description, metadata,
                                released_amount, refunded_amount, created_at, updated_at)
            VALUES (@Id, @ClientOrderRef, @Status, @BuyerId, @SellerId, @Amount, @Currency, @Title, @Description, @Metadata, 0, 0, @CreatedAt, @UpdatedAt)
            ON CONFLICT (client_order_ref) DO NOTHING
            """;

        private const string ExistingSql = "SELECT id FROM orders WHERE client_order_ref = @ref";

        private const string InsertMilestoneSql = """
            INSERT INTO order_milestones (order_id, milestone_ref, position, title, amount, status)
            VALUES (@OrderId, @MilestoneRef, @Position, @Title, @Amount, @Status)
            """;

        public async ValueTask<OrderResponse> Handle(Command command, CancellationToken cancellationToken)
        {
            var amount = command.Amount!.Value.Cents;
            AmountRules.RequireAtMost(amount, options.Limits.MaxOrderCents, "order");

            await RequireActiveUsersAsync(command.BuyerId!, command.SellerId!, cancellationToken);

            var now = clock.NowMs();
            var order = new OrderRow(Ids.New("ord"), command.ClientOrderRef, OrderStates.Created, null, command.BuyerId!, command.SellerId!, amount,
                command.Currency!, command.Title, command.Description,
                command.Metadata is { ValueKind: JsonValueKind.Object } metadata ? metadata.GetRawText() : null, 0, 0, now, now);
            if (await db.ExecuteAsync(InsertSql, order, cancellationToken) == 0)
            {
                var existing = await db.QuerySingleAsync<string>(ExistingSql, new { @ref = command.ClientOrderRef }, cancellationToken);
                throw new ApiException(409, ApiErrors.OrderAlreadyExists, "An order with this client_order_ref already exists",
                    new Dictionary<string, object?> { ["order_id"] = existing, ["client_order_ref"] = command.ClientOrderRef });
            }

            var milestones = (command.Milestones ?? [])
                .Select((m, i) => new MilestoneRow(order.Id, m.MilestoneRef!, i, m.Title, m.Amount!.Value.Cents, "OPEN"))
                .ToList();
            foreach (var milestone in milestones)
            {
                await db.ExecuteAsync(InsertMilestoneSql, milestone, cancellationToken);
            }

            await transitions.RecordCreationAsync(order, cancellationToken);
            await outbox.PublishAsync("order.created", "order", order.Id, order.UserIds, new
            {
                order_id = order.Id,
                buyer_id = order.BuyerId,
                seller_id = order.SellerId,
                amount = Amount.Format(order.Amount),
                currency = order.Currency,
                client_order_ref = order.ClientOrderRef,
            }, cancellationToken);
            return order.ToResponse(milestones);
        }

        private async Task RequireActiveUsersAsync(string buyerId, string sellerId, CancellationToken ct)
        {
            var users = await db.QueryAsync<UserRow>(UsersSql, new { ids = new[] { buyerId, sellerId } }, ct);
            foreach (var (id, role) in new[] { (buyerId, "buyer"), (sellerId, "seller") })
            {
                UserStore.RequireActive(users.FirstOrDefault(u => u.Id == id) ?? throw ApiErrors.NotFound(ApiErrors.UserNotFound, $"User ({role})", id), role);
            }
        }
    }
}
