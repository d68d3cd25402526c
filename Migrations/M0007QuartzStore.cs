using FluentMigrator;
using FluentMigrator.Builders.Create.Table;

namespace OfferHub.Lite.Migrations;

/// <summary>Quartz.NET 4's ADO.NET job store on PostgreSQL, so that with several instances each job
/// firing runs on one of them. Table and column names are Quartz's contract (its PostgreSQL schema
/// and the 4.x migrations it validates at start); SQLite instances use the in-memory store.</summary>
[Migration(7, "quartz job store")]
public sealed class M0007QuartzStore : Migration
{
    // Every name FluentMigrator's PostgreSQL processors answer to.
    private static readonly string[] PostgresNames = ["Postgres", "PostgreSQL", "Postgres92", "PostgreSQL92", "PostgreSQL10_0", "PostgreSQL11_0", "PostgreSQL15_0"];

    public override void Up()
    {
        var pg = IfDatabase(PostgresNames);
        Key(pg.Create.Table("qrtz_job_details"), "qrtz_job_details", "job_name", "job_group")
            .WithColumn("description").AsString().Nullable()
            .WithColumn("job_class_name").AsString().NotNullable()
            .WithColumn("is_durable").AsBoolean().NotNullable()
            .WithColumn("is_nonconcurrent").AsBoolean().NotNullable()
            .WithColumn("is_update_data").AsBoolean().NotNullable()
            .WithColumn("requests_recovery").AsBoolean().NotNullable()
            .WithColumn("job_data").AsBinary().Nullable();

        Key(pg.Create.Table("qrtz_triggers"), "qrtz_triggers", "trigger_name", "trigger_group")
            .WithColumn("job_name").AsString().NotNullable()
            .WithColumn("job_group").AsString().NotNullable()
            .WithColumn("description").AsString().Nullable()
            .WithColumn("next_fire_time").AsInt64().Nullable()
            .WithColumn("prev_fire_time").AsInt64().Nullable()
            .WithColumn("priority").AsInt32().Nullable()
            .WithColumn("trigger_state").AsString().NotNullable()
            .WithColumn("trigger_type").AsString().NotNullable()
            .WithColumn("start_time").AsInt64().NotNullable()
            .WithColumn("end_time").AsInt64().Nullable()
            .WithColumn("calendar_name").AsString().Nullable()
            .WithColumn("misfire_instr").AsInt16().Nullable()
            .WithColumn("misfire_orig_fire_time").AsInt64().Nullable()
            .WithColumn("execution_group").AsString(200).Nullable()
            .WithColumn("preferred_node").AsString(200).Nullable()
            .WithColumn("preferred_node_auto").AsBoolean().NotNullable().WithDefaultValue(false)
            .WithColumn("retry_policy").AsString(250).Nullable()
            .WithColumn("retry_attempt").AsInt32().Nullable()
            .WithColumn("continues_trigger_name").AsString().Nullable()
            .WithColumn("continues_trigger_group").AsString().Nullable()
            .WithColumn("continuation_condition").AsInt32().Nullable()
            .WithColumn("overlap_policy").AsInt32().Nullable()
            .WithColumn("pause_reason").AsString(250).Nullable()
            .WithColumn("paused_by").AsString(200).Nullable()
            .WithColumn("paused_at").AsInt64().Nullable()
            .WithColumn("misfire_threshold").AsInt64().Nullable()
            .WithColumn("fixed_delay").AsInt64().Nullable()
            .WithColumn("job_data").AsBinary().Nullable();
        pg.Create.ForeignKey("fk_qrtz_triggers_job").FromTable("qrtz_triggers").ForeignColumns("sched_name", "job_name", "job_group")
            .ToTable("qrtz_job_details").PrimaryColumns("sched_name", "job_name", "job_group");

        TriggerDetail(pg, "qrtz_simple_triggers", t => t
            .WithColumn("repeat_count").AsInt64().NotNullable()
            .WithColumn("repeat_interval").AsInt64().NotNullable()
            .WithColumn("times_triggered").AsInt64().NotNullable());
        TriggerDetail(pg, "qrtz_simprop_triggers", t => t
            .WithColumn("str_prop_1").AsString().Nullable().WithColumn("str_prop_2").AsString().Nullable().WithColumn("str_prop_3").AsString().Nullable()
            .WithColumn("int_prop_1").AsInt32().Nullable().WithColumn("int_prop_2").AsInt32().Nullable()
            .WithColumn("long_prop_1").AsInt64().Nullable().WithColumn("long_prop_2").AsInt64().Nullable()
            .WithColumn("dec_prop_1").AsCustom("NUMERIC").Nullable().WithColumn("dec_prop_2").AsCustom("NUMERIC").Nullable()
            .WithColumn("bool_prop_1").AsBoolean().Nullable().WithColumn("bool_prop_2").AsBoolean().Nullable()
            .WithColumn("time_zone_id").AsString().Nullable());
        TriggerDetail(pg, "qrtz_cron_triggers", t => t
            .WithColumn("cron_expression").AsString().NotNullable()
            .WithColumn("time_zone_id").AsString().Nullable());
        TriggerDetail(pg, "qrtz_blob_triggers", t => t.WithColumn("blob_data").AsBinary().Nullable());

        Key(pg.Create.Table("qrtz_calendars"), "qrtz_calendars", "calendar_name").WithColumn("calendar").AsBinary().NotNullable();
        Paused(Key(pg.Create.Table("qrtz_paused_trigger_grps"), "qrtz_paused_trigger_grps", "trigger_group"));
        Paused(Key(pg.Create.Table("qrtz_paused_job_grps"), "qrtz_paused_job_grps", "job_group"));

        Key(pg.Create.Table("qrtz_fired_triggers"), "qrtz_fired_triggers", "entry_id")
            .WithColumn("trigger_name").AsString().NotNullable()
            .WithColumn("trigger_group").AsString().NotNullable()
            .WithColumn("instance_name").AsString().NotNullable()
            .WithColumn("fired_time").AsInt64().NotNullable()
            .WithColumn("sched_time").AsInt64().NotNullable()
            .WithColumn("priority").AsInt32().NotNullable()
            .WithColumn("state").AsString().NotNullable()
            .WithColumn("job_name").AsString().Nullable()
            .WithColumn("job_group").AsString().Nullable()
            .WithColumn("is_nonconcurrent").AsBoolean().NotNullable()
            .WithColumn("requests_recovery").AsBoolean().Nullable()
            .WithColumn("execution_group").AsString(200).Nullable()
            .WithColumn("progress").AsInt32().Nullable()
            .WithColumn("progress_message").AsString(250).Nullable()
            .WithColumn("interrupt_requested_time").AsInt64().Nullable();

        Key(pg.Create.Table("qrtz_scheduler_state"), "qrtz_scheduler_state", "instance_name")
            .WithColumn("last_checkin_time").AsInt64().NotNullable()
            .WithColumn("checkin_interval").AsInt64().NotNullable()
            .WithColumn("quartz_version").AsString().Nullable();

        Key(pg.Create.Table("qrtz_locks"), "qrtz_locks", "lock_name");

        pg.Create.Index("idx_qrtz_t_nft_st").OnTable("qrtz_triggers")
            .OnColumn("sched_name").Ascending().OnColumn("trigger_state").Ascending().OnColumn("next_fire_time").Ascending();
        pg.Create.Index("idx_qrtz_ft_inst_job_req_rcvry").OnTable("qrtz_fired_triggers")
            .OnColumn("sched_name").Ascending().OnColumn("instance_name").Ascending().OnColumn("requests_recovery").Ascending();
    }

    public override void Down()
    {
        var pg = IfDatabase(PostgresNames);
        foreach (var table in new[]
                 {
                     "qrtz_fired_triggers", "qrtz_paused_trigger_grps", "qrtz_paused_job_grps", "qrtz_scheduler_state", "qrtz_locks",
                     "qrtz_simprop_triggers", "qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_blob_triggers", "qrtz_triggers",
                     "qrtz_job_details", "qrtz_calendars",
                 })
        {
            pg.Delete.Table(table);
        }
    }

    /// <summary>A Quartz table: keyed by the scheduler name and the given columns.</summary>
    private static ICreateTableColumnOptionOrWithColumnSyntax Key(ICreateTableWithColumnSyntax table, string name, params string[] columns)
    {
        var key = table.WithColumn("sched_name").AsString().NotNullable().PrimaryKey("pk_" + name);
        foreach (var column in columns)
        {
            key = key.WithColumn(column).AsString().NotNullable().PrimaryKey("pk_" + name);
        }

        return key;
    }

    private static void Paused(ICreateTableColumnOptionOrWithColumnSyntax table) =>
        table.WithColumn("pause_reason").AsString(250).Nullable()
            .WithColumn("paused_by").AsString(200).Nullable()
            .WithColumn("paused_at").AsInt64().Nullable();

    private static void TriggerDetail(FluentMigrator.Builders.IfDatabase.IIfDatabaseExpressionRoot pg, string table, Action<ICreateTableColumnOptionOrWithColumnSyntax> columns)
    {
        columns(Key(pg.Create.Table(table), table, "trigger_name", "trigger_group"));
        pg.Create.ForeignKey("fk_" + table).FromTable(table).ForeignColumns("sched_name", "trigger_name", "trigger_group")
            .ToTable("qrtz_triggers").PrimaryColumns("sched_name", "trigger_name", "trigger_group").OnDelete(System.Data.Rule.Cascade);
    }
}
