using FluentMigrator;

namespace OfferHub.Lite.Migrations;

/// <summary>The delivery order of the outbox, and outbound webhooks: endpoints, one delivery per
/// (endpoint, event), and every attempt.</summary>
[Migration(5, "events and webhooks")]
public sealed class M0005EventsAndWebhooks : Migration
{
    public override void Up()
    {
        // Assigned after commit by the sequencer, in commit order: what streams and deliveries
        // follow, so that an event committed late is never skipped.
        Alter.Table("events").AddColumn("seq").AsInt64().Nullable();
        Create.Index("ux_events_seq").OnTable("events").OnColumn("seq").Ascending().WithOptions().Unique();

        Create.Table("webhook_endpoints")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("url").AsString(2048).NotNullable()
            .WithColumn("types").AsString().NotNullable()
            .WithColumn("description").AsString(500).Nullable()
            .WithColumn("secret").AsString(100).NotNullable()
            .WithColumn("status").AsString(16).NotNullable()
            .WithColumn("disabled_reason").AsString(200).Nullable()
            .WithColumn("deleted_at").AsInt64().Nullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();

        Create.Table("webhook_deliveries")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("endpoint_id").AsString(40).NotNullable().ForeignKey("fk_webhook_deliveries_endpoint", "webhook_endpoints", "id")
            .WithColumn("event_id").AsString(40).NotNullable().ForeignKey("fk_webhook_deliveries_event", "events", "id")
            .WithColumn("status").AsString(16).NotNullable()
            .WithColumn("attempts").AsInt64().NotNullable()
            .WithColumn("next_attempt_at").AsInt64().Nullable()
            .WithColumn("lease_until").AsInt64().Nullable()
            .WithColumn("last_status").AsInt64().Nullable()
            .WithColumn("delivered_at").AsInt64().Nullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();
        Create.Index("ux_webhook_deliveries_event").OnTable("webhook_deliveries")
            .OnColumn("endpoint_id").Ascending().OnColumn("event_id").Ascending().WithOptions().Unique();
        Create.Index("ix_webhook_deliveries_due").OnTable("webhook_deliveries").OnColumn("status").Ascending().OnColumn("next_attempt_at").Ascending();

        Create.Table("webhook_attempts")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("delivery_id").AsString(40).NotNullable().ForeignKey("fk_webhook_attempts_delivery", "webhook_deliveries", "id").Indexed("ix_webhook_attempts_delivery")
            .WithColumn("attempt").AsInt64().NotNullable()
            .WithColumn("status_code").AsInt64().Nullable()
            .WithColumn("duration_ms").AsInt64().NotNullable()
            .WithColumn("response_snippet").AsString(500).Nullable()
            .WithColumn("error").AsString(200).Nullable()
            .WithColumn("attempted_at").AsInt64().NotNullable();
    }

    public override void Down()
    {
        Delete.Table("webhook_attempts");
        Delete.Table("webhook_deliveries");
        Delete.Table("webhook_endpoints");
        Delete.Index("ux_events_seq").OnTable("events");
        Delete.Column("seq").FromTable("events");
    }
}
