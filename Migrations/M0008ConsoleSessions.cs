using FluentMigrator;

namespace OfferHub.Lite.Migrations;

/// <summary>Operators' console sign-ins: only a hash of the cookie's token is kept, with the key
/// that signed in and the form token that every console form must echo.</summary>
[Migration(8, "console sessions")]
public sealed class M0008ConsoleSessions : Migration
{
    public override void Up()
    {
        Create.Table("console_sessions")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("token_hash").AsString(64).NotNullable().Unique("ux_console_sessions_token_hash")
            .WithColumn("key_id").AsString(40).NotNullable()
            .WithColumn("form_token").AsString(64).NotNullable()
            .WithColumn("created_at").AsInt64().NotNullable()
            .WithColumn("last_seen_at").AsInt64().NotNullable()
            .WithColumn("signed_out_at").AsInt64().Nullable();
    }

    public override void Down() => Delete.Table("console_sessions");
}
