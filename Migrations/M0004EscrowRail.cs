using FluentMigrator;

namespace OfferHub.Lite.Migrations;

/// <summary>Escrows (mirrors of Trustless Work contracts), the multi-step escrow operations with
/// their signature requests, and disputes with comments.</summary>
[Migration(4, "escrow rail")]
public sealed class M0004EscrowRail : Migration
{
    public override void Up()
    {
        Create.Table("escrows")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            // One escrow per order.
            .WithColumn("order_id").AsString(40).NotNullable().Unique("ux_escrows_order").ForeignKey("fk_escrows_order", "orders", "id")
            .WithColumn("contract_id").AsString(64).Nullable().Unique("ux_escrows_contract")
            .WithColumn("multi_release").AsInt64().NotNullable()
            .WithColumn("status").AsString(16).NotNullable()
            .WithColumn("amount").AsInt64().NotNullable()
            .WithColumn("funded_amount").AsInt64().NotNullable()
            .WithColumn("released_amount").AsInt64().NotNullable()
            .WithColumn("refunded_amount").AsInt64().NotNullable()
            .WithColumn("allow_partial_release").AsInt64().NotNullable()
            .WithColumn("allow_partial_refund").AsInt64().NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();

        // A logical escrow operation (fund, release, refund, ...) as a queue of provider steps,
        // each needing one signature. operation_key makes an operation start once.
        Create.Table("escrow_operations")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("order_id").AsString(40).NotNullable().ForeignKey("fk_escrow_operations_order", "orders", "id").Indexed("ix_escrow_operations_order")
            .WithColumn("operation_key").AsString(200).NotNullable().Unique("ux_escrow_operations_key")
            .WithColumn("intent").AsString(32).NotNullable()
            .WithColumn("status").AsString(16).NotNullable()
            .WithColumn("steps").AsString().NotNullable()
            .WithColumn("next_step").AsInt64().NotNullable()
            .WithColumn("last_error").AsString(200).Nullable()
            // Whoever runs the operation holds the lease, so that two requests never make the
            // same provider call; a crashed holder's lease runs out.
            .WithColumn("lease_token").AsString(40).Nullable()
            .WithColumn("lease_until").AsInt64().Nullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();

        Create.Table("signatures")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("operation_id").AsString(40).NotNullable().ForeignKey("fk_signatures_operation", "escrow_operations", "id")
            .WithColumn("step").AsInt64().NotNullable()
            // A request that expired unsigned is replaced by a new attempt for the same step.
            .WithColumn("attempt").AsInt64().NotNullable()
            .WithColumn("order_id").AsString(40).NotNullable().Indexed("ix_signatures_order")
            .WithColumn("operation").AsString(40).NotNullable()
            .WithColumn("signer_role").AsString(32).NotNullable()
            .WithColumn("signer_address").AsString(56).NotNullable()
            .WithColumn("unsigned_xdr").AsString().NotNullable()
            .WithColumn("status").AsString(16).NotNullable().Indexed("ix_signatures_status")
            .WithColumn("last_error").AsString(200).Nullable()
            .WithColumn("expires_at").AsInt64().NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();
        // One signature request per attempt at a step of an operation.
        Create.Index("ux_signatures_step").OnTable("signatures").OnColumn("operation_id").Ascending().OnColumn("step").Ascending()
            .OnColumn("attempt").Ascending().WithOptions().Unique();

        Create.Table("disputes")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            // One dispute per order: a resolved dispute closes the order.
            .WithColumn("order_id").AsString(40).NotNullable().Unique("ux_disputes_order").ForeignKey("fk_disputes_order", "orders", "id")
            .WithColumn("status").AsString(16).NotNullable().Indexed("ix_disputes_status")
            .WithColumn("opened_by").AsString(8).NotNullable()
            .WithColumn("reason").AsString(500).NotNullable()
            .WithColumn("message").AsString(4000).Nullable()
            .WithColumn("evidence").AsString().Nullable()
            .WithColumn("assigned_to").AsString(100).Nullable()
            .WithColumn("decision").AsString(16).Nullable()
            .WithColumn("amount_to_seller").AsInt64().Nullable()
            .WithColumn("amount_to_buyer").AsInt64().Nullable()
            .WithColumn("resolution_note").AsString(4000).Nullable()
            .WithColumn("resolved_by").AsString(100).Nullable()
            .WithColumn("resolved_at").AsInt64().Nullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();

        Create.Table("dispute_comments")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("dispute_id").AsString(40).NotNullable().ForeignKey("fk_dispute_comments_dispute", "disputes", "id").Indexed("ix_dispute_comments_dispute")
            .WithColumn("author").AsString(100).NotNullable()
            .WithColumn("message").AsString(4000).NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable();
    }

    public override void Down()
    {
        Delete.Table("dispute_comments");
        Delete.Table("disputes");
        Delete.Table("signatures");
        Delete.Table("escrow_operations");
        Delete.Table("escrows");
    }
}
