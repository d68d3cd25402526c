using FluentMigrator;

namespace OfferHub.Lite.Migrations;

/// <summary>The W3C trace context of the span that wrote each event, so that later work on the
/// same resource (a provider callback, a job, a webhook delivery, on any instance) can link its
/// span to the trace that started it. Null when tracing was off.</summary>
[Migration(9, "trace context")]
public sealed class M0009TraceContext : Migration
{
    public override void Up() =>
        Alter.Table("events").AddColumn("trace_parent").AsString(64).Nullable();

    public override void Down() =>
        Delete.Column("trace_parent").FromTable("events");
}
