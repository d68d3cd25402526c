using FluentMigrator;

namespace OfferHub.Lite.Migrations;

/// <summary>On SQLite, a column's <c>Unique("name")</c> in the earlier migrations made two indexes:
/// the table's inline UNIQUE constraint and the named index, so every insert wrote both. The
/// inline constraint stays (it is what <c>ON CONFLICT</c> and the unique-violation codes answer
/// to); the named copy goes. PostgreSQL got only the named index, so nothing changes there.</summary>
[Migration(12, "duplicate unique indexes on SQLite")]
public sealed class M0012DuplicateUniqueIndexes : Migration
{
    private static readonly (string Table, string Column, string Index)[] Duplicates =
    [
        ("api_keys", "key_hash", "ux_api_keys_key_hash"),
        ("users", "external_user_id", "ux_users_external_user_id"),
        ("users", "airtm_user_id", "ux_users_airtm_user_id"),
        ("orders", "client_order_ref", "ux_orders_client_order_ref"),
        ("topups", "airtm_payin_id", "ux_topups_airtm_payin_id"),
        ("topups", "request_key", "ux_topups_request_key"),
        ("withdrawals", "airtm_payout_id", "ux_withdrawals_airtm_payout_id"),
        ("withdrawals", "request_key", "ux_withdrawals_request_key"),
        ("escrows", "order_id", "ux_escrows_order"),
        ("escrows", "contract_id", "ux_escrows_contract"),
        ("escrow_operations", "operation_key", "ux_escrow_operations_key"),
        ("disputes", "order_id", "ux_disputes_order"),
        ("console_sessions", "token_hash", "ux_console_sessions_token_hash"),
    ];

    public override void Up()
    {
        foreach (var (table, _, index) in Duplicates)
        {
            IfDatabase("SQLite").Delete.Index(index).OnTable(table);
        }
    }

    public override void Down()
    {
        foreach (var (table, column, index) in Duplicates)
        {
            IfDatabase("SQLite").Create.Index(index).OnTable(table).OnColumn(column).Ascending().WithOptions().Unique();
        }
    }
}
