using FluentMigrator;

namespace OfferHub.Lite.Migrations;

/// <summary>A short-lived token may be bound to one user, for that user's browser: it then sees
/// only that user's resources and events. Null for API keys and unbound tokens.</summary>
[Migration(11, "user-bound tokens")]
public sealed class M0011UserBoundTokens : Migration
{
    public override void Up() =>
        Alter.Table("api_keys").AddColumn("user_id").AsString(40).Nullable();

    public override void Down() =>
        Delete.Column("user_id").FromTable("api_keys");
}
