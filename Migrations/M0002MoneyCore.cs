using FluentMigrator;

namespace OfferHub.Lite.Migrations;

/// <summary>The double-entry ledger (accounts with cached balances, transfers, entries) and orders
/// with their milestones and transition history.</summary>
[Migration(2, "money core")]
public sealed class M0002MoneyCore : Migration
{
    public override void Up()
    {
        // The balance cache: one row per account, changed only together with its entries.
        Create.Table("ledger_accounts")
            .WithColumn("account").AsString(80).NotNullable().PrimaryKey()
            .WithColumn("balance").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();

        // One row per movement of money; the unique key makes every posting happen once.
        Create.Table("ledger_transfers")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("transaction_id").AsString(40).NotNullable().Indexed("ix_ledger_transfers_transaction")
            .WithColumn("from_account").AsString(80).NotNullable()
            .WithColumn("to_account").AsString(80).NotNullable()
            .WithColumn("amount").AsInt64().NotNullable()
            .WithColumn("reason").AsString(64).NotNullable()
            .WithColumn("reference_type").AsString(32).NotNullable()
            .WithColumn("reference_id").AsString(64).NotNullable()
            .WithColumn("leg").AsString(64).NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable();
        Create.Index("ux_ledger_transfers_posting").OnTable("ledger_transfers")
            .OnColumn("reference_type").Ascending().OnColumn("reference_id").Ascending().OnColumn("leg").Ascending()
            .WithOptions().Unique();

        Create.Table("ledger_entries")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("transfer_id").AsString(40).NotNullable().ForeignKey("fk_ledger_entries_transfer", "ledger_transfers", "id")
            .WithColumn("account").AsString(80).NotNullable()
            .WithColumn("amount").AsInt64().NotNullable()
            .WithColumn("balance_after").AsInt64().NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable();
        Create.Index("ix_ledger_entries_account").OnTable("ledger_entries").OnColumn("account").Ascending().OnColumn("id").Ascending();

        Create.Table("orders")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("client_order_ref").AsString(100).Nullable().Unique("ux_orders_client_order_ref")
            .WithColumn("status").AsString(32).NotNullable()
            .WithColumn("resolution").AsString(16).Nullable()
            .WithColumn("buyer_id").AsString(40).NotNullable().ForeignKey("fk_orders_buyer", "users", "id")
            .WithColumn("seller_id").AsString(40).NotNullable().ForeignKey("fk_orders_seller", "users", "id")
            .WithColumn("amount").AsInt64().NotNullable()
            .WithColumn("currency").AsString(3).NotNullable()
            .WithColumn("title").AsString(200).Nullable()
            .WithColumn("description").AsString(2000).Nullable()
            .WithColumn("metadata").AsString().Nullable()
            .WithColumn("released_amount").AsInt64().NotNullable()
            .WithColumn("refunded_amount").AsInt64().NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("updated_at").AsInt64().NotNullable();
        Create.Index("ix_orders_status").OnTable("orders").OnColumn("status");
        Create.Index("ix_orders_buyer").OnTable("orders").OnColumn("buyer_id");
        Create.Index("ix_orders_seller").OnTable("orders").OnColumn("seller_id");

        Create.Table("order_milestones")
            .WithColumn("order_id").AsString(40).NotNullable().PrimaryKey("pk_order_milestones").ForeignKey("fk_order_milestones_order", "orders", "id")
            .WithColumn("milestone_ref").AsString(100).NotNullable().PrimaryKey("pk_order_milestones")
            .WithColumn("position").AsInt64().NotNullable()
            .WithColumn("title").AsString(200).Nullable()
            .WithColumn("amount").AsInt64().NotNullable()
            .WithColumn("status").AsString(16).NotNullable();

        Create.Table("order_history")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("order_id").AsString(40).NotNullable().ForeignKey("fk_order_history_order", "orders", "id")
            .WithColumn("from_status").AsString(32).Nullable()
            .WithColumn("to_status").AsString(32).NotNullable()
            .WithColumn("action").AsString(32).NotNullable()
            .WithColumn("actor_type").AsString(32).NotNullable()
            .WithColumn("actor_id").AsString(64).Nullable()
            .WithColumn("reason").AsString(500).Nullable()
            .WithColumn("request_id").AsString(128).Nullable()
            .WithColumn("created_at").AsInt64().NotNullable();
        Create.Index("ix_order_history_order").OnTable("order_history").OnColumn("order_id").Ascending().OnColumn("id").Ascending();
    }

    public override void Down()
    {
        Delete.Table("order_history");
        Delete.Table("order_milestones");
        Delete.Table("orders");
        Delete.Table("ledger_entries");
        Delete.Table("ledger_transfers");
        Delete.Table("ledger_accounts");
    }
}
