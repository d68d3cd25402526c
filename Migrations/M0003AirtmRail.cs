using FluentMigrator;

namespace OfferHub.Lite.Migrations;

/// <summary>Top-ups (Airtm pay-ins), withdrawals (Airtm payouts) and the provider webhook inbox.</summary>
[Migration(3, "airtm rail")]
public sealed class M0003AirtmRail : Migration
{
    public override void Up()
    {
        Alter.Table("users").AddColumn("airtm_linked_at").AsInt64().Nullable();

        Create.Table("topups")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("user_id").AsString(40).NotNullable().ForeignKey("fk_topups_user", "users", "id").Indexed("ix_topups_user")
            .WithColumn("status").AsString(40).NotNullable().Indexed("ix_topups_status")
            .WithColumn("amount").AsInt64().NotNullable()
            .WithColumn("currency").AsString(3).NotNullable()
            .WithColumn("return_url").AsString(2048).NotNullable()
            .WithColumn("cancel_url").AsString(2048).NotNullable()
            .WithColumn("metadata").AsString().Nullable()
            .WithColumn("airtm_payin_id").AsString(64).Nullable().Unique("ux_topups_airtm_payin_id")
            .WithColumn("confirmation_uri").AsString(2048).Nullable()
            .WithColumn("airtm_fee").AsInt64().Nullable()
            .WithColumn("net_amount").AsInt64().Nullable()
            .WithColumn("payer_airtm_user_id").AsString(64).Nullable()
            .WithColumn("failure_reason").AsString(500).Nullable()
            .WithColumn("last_error").AsString(200).Nullable()
            // The last provider update applied; an older one arriving late is ignored.
            .WithColumn("provider_updated_at").AsInt64().Nullable()
            // owner + Idempotency-Key of the creating request: a retry after a provider failure
            // finds this row and resumes instead of creating a second pay-in.
            .WithColumn("request_key").AsString(320).Nullable().Unique("ux_topups_request_key")
            .WithColumn("expires_at").AsInt64().NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();

        Create.Table("withdrawals")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("user_id").AsString(40).NotNullable().ForeignKey("fk_withdrawals_user", "users", "id").Indexed("ix_withdrawals_user")
            .WithColumn("status").AsString(40).NotNullable().Indexed("ix_withdrawals_status")
            .WithColumn("amount").AsInt64().NotNullable()
            .WithColumn("currency").AsString(3).NotNullable()
            .WithColumn("destination_email").AsString(254).NotNullable()
            .WithColumn("commit_requested").AsInt64().NotNullable()
            .WithColumn("airtm_payout_id").AsString(64).Nullable().Unique("ux_withdrawals_airtm_payout_id")
            .WithColumn("airtm_fee").AsInt64().Nullable()
            .WithColumn("reason_code").AsString(100).Nullable()
            .WithColumn("reason_description").AsString(500).Nullable()
            .WithColumn("last_error").AsString(200).Nullable()
            .WithColumn("provider_updated_at").AsInt64().Nullable()
            .WithColumn("request_key").AsString(320).Nullable().Unique("ux_withdrawals_request_key")
            .WithColumn("expires_at").AsInt64().NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();

        // Every provider callback once: (provider, event id) is the primary key.
        Create.Table("provider_webhooks")
            .WithColumn("provider").AsString(32).NotNullable().PrimaryKey("pk_provider_webhooks")
            .WithColumn("event_id").AsString(128).NotNullable().PrimaryKey("pk_provider_webhooks")
            .WithColumn("type").AsString(64).NotNullable()
            .WithColumn("body_sha256").AsString(64).NotNullable()
            .WithColumn("received_at").AsInt64().NotNullable();
    }

    public override void Down()
    {
        Delete.Table("provider_webhooks");
        Delete.Table("withdrawals");
        Delete.Table("topups");
        Delete.Column("airtm_linked_at").FromTable("users");
    }
}
