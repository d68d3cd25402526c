using FluentMigrator;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Migrations;

/// <summary>Instance settings, API keys, idempotency keys, audit log, events outbox, users.
/// Timestamps are UTC unix milliseconds (bigint) so both dialects compare and sort them alike.</summary>
[Migration(1, "foundation")]
public sealed class M0001Foundation : Migration
{
    public override void Up()
    {
        Create.Table("instance_settings")
            .WithColumn("key").AsString(64).NotNullable().PrimaryKey()
            .WithColumn("value").AsString().Nullable()
            .WithColumn("updated_at").AsInt64().NotNullable();

        // The instance's stable marketplace id, made once with its schema.
        Insert.IntoTable("instance_settings").Row(new Dictionary<string, object>
        {
            ["key"] = "marketplace_id",
            ["value"] = Ids.New("mkt"),
            ["updated_at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        });

        Create.Table("api_keys")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("kind").AsString(16).NotNullable()
            .WithColumn("name").AsString(255).Nullable()
            .WithColumn("key_hash").AsString(64).NotNullable().Unique("ux_api_keys_key_hash")
            .WithColumn("key_prefix").AsString(24).NotNullable()
            .WithColumn("scopes").AsString(64).NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("expires_at").AsInt64().Nullable()
            .WithColumn("revoked_at").AsInt64().Nullable()
            .WithColumn("last_used_at").AsInt64().Nullable();

        Create.Table("idempotency_keys")
            .WithColumn("owner").AsString(64).NotNullable().PrimaryKey("pk_idempotency_keys")
            .WithColumn("idem_key").AsString(255).NotNullable().PrimaryKey("pk_idempotency_keys")
            .WithColumn("request_hash").AsString(64).NotNullable()
            .WithColumn("state").AsString(16).NotNullable()
            .WithColumn("lock_token").AsString(40).NotNullable()
            .WithColumn("locked_until").AsInt64().NotNullable()
            .WithColumn("response_status").AsInt64().Nullable()
            .WithColumn("response_body").AsString().Nullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("expires_at").AsInt64().Nullable();
        Create.Index("ix_idempotency_keys_expires_at").OnTable("idempotency_keys").OnColumn("expires_at");

        Create.Table("audit_logs")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("occurred_at").AsInt64().NotNullable()
            .WithColumn("action").AsString(64).NotNullable()
            .WithColumn("actor_type").AsString(32).NotNullable()
            .WithColumn("actor_id").AsString(64).Nullable()
            .WithColumn("resource_type").AsString(32).Nullable()
            .WithColumn("resource_id").AsString(64).Nullable()
            .WithColumn("result").AsString(16).NotNullable()
            .WithColumn("error_code").AsString(64).Nullable()
            .WithColumn("error_message").AsString(500).Nullable()
            .WithColumn("before_state").AsString().Nullable()
            .WithColumn("after_state").AsString().Nullable()
            .WithColumn("request_id").AsString(128).Nullable()
            .WithColumn("idempotency_key").AsString(255).Nullable()
            .WithColumn("provider_ref").AsString(255).Nullable()
            .WithColumn("ip").AsString(64).Nullable()
            .WithColumn("user_agent").AsString(512).Nullable();
        Create.Index("ix_audit_logs_resource").OnTable("audit_logs").OnColumn("resource_type").Ascending().OnColumn("resource_id").Ascending();
        Create.Index("ix_audit_logs_action").OnTable("audit_logs").OnColumn("action");

        Create.Table("events")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("type").AsString(64).NotNullable()
            .WithColumn("occurred_at").AsInt64().NotNullable()
            .WithColumn("resource_type").AsString(32).NotNullable()
            .WithColumn("resource_id").AsString(64).NotNullable()
            .WithColumn("user_ids").AsString().NotNullable()
            .WithColumn("data").AsString().NotNullable()
            .WithColumn("request_id").AsString(128).Nullable()
            .WithColumn("idempotency_key").AsString(255).Nullable();
        Create.Index("ix_events_resource").OnTable("events").OnColumn("resource_type").Ascending().OnColumn("resource_id").Ascending();
        Create.Index("ix_events_type").OnTable("events").OnColumn("type");

        // One row per (user, event): "events of user U after X" is an index range scan.
        Create.Table("event_users")
            .WithColumn("user_id").AsString(40).NotNullable().PrimaryKey("pk_event_users")
            .WithColumn("event_id").AsString(40).NotNullable().PrimaryKey("pk_event_users")
                .ForeignKey("fk_event_users_event", "events", "id");

        Create.Table("users")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("external_user_id").AsString(255).NotNullable().Unique("ux_users_external_user_id")
            .WithColumn("email").AsString(254).Nullable()
            .WithColumn("type").AsString(16).NotNullable()
            .WithColumn("status").AsString(32).NotNullable()
            .WithColumn("airtm_user_id").AsString(64).Nullable().Unique("ux_users_airtm_user_id")
            .WithColumn("airtm_email").AsString(254).Nullable()
            .WithColumn("stellar_address").AsString(56).Nullable()
            .WithColumn("metadata").AsString().Nullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();
        Create.Index("ix_users_type").OnTable("users").OnColumn("type");
        Create.Index("ix_users_status").OnTable("users").OnColumn("status");
    }

    public override void Down()
    {
        Delete.Table("users");
        Delete.Table("event_users");
        Delete.Table("events");
        Delete.Table("audit_logs");
        Delete.Table("idempotency_keys");
        Delete.Table("api_keys");
        Delete.Table("instance_settings");
    }
}
