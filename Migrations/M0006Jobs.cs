using FluentMigrator;

namespace OfferHub.Lite.Migrations;

/// <summary>Background job runs and the dead letters of runs that failed every try.</summary>
[Migration(6, "jobs")]
public sealed class M0006Jobs : Migration
{
    public override void Up()
    {
        Create.Table("job_runs")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("job").AsString(64).NotNullable().Indexed("ix_job_runs_job")
            .WithColumn("attempt").AsInt64().NotNullable()
            // The trigger firing this run served, and which instance ran it: a firing runs once.
            .WithColumn("scheduled_at").AsInt64().NotNullable()
            .WithColumn("instance").AsString(200).NotNullable()
            .WithColumn("status").AsString(16).NotNullable()
            .WithColumn("summary").AsString(500).Nullable()
            .WithColumn("error").AsString(500).Nullable()
            .WithColumn("started_at").AsInt64().NotNullable()
            .WithColumn("finished_at").AsInt64().NotNullable();

        Create.Table("job_dead_letters")
            .WithColumn("id").AsString(40).NotNullable().PrimaryKey()
            .WithColumn("job").AsString(64).NotNullable()
            .WithColumn("attempts").AsInt64().NotNullable()
            .WithColumn("error").AsString(500).NotNullable()
            .WithColumn("failed_at").AsInt64().NotNullable()
            .WithColumn("retried_at").AsInt64().Nullable();
    }

    public override void Down()
    {
        Delete.Table("job_dead_letters");
        Delete.Table("job_runs");
    }
}
