using System.CommandLine;
using System.Text.Json;
using Mediator;
using OfferHub.Lite.Features.ApiKeys.CreateApiKey;
using OfferHub.Lite.Features.ApiKeys.ListApiKeys;
using OfferHub.Lite.Features.ApiKeys.MintToken;
using OfferHub.Lite.Features.ApiKeys.RevokeApiKey;
using OfferHub.Lite.Features.Maintenance.GetMaintenance;
using OfferHub.Lite.Features.Maintenance.SetMaintenance;
using OfferHub.Lite.Features.Operations.ListDeadLetters;
using OfferHub.Lite.Features.Operations.ListJobs;
using OfferHub.Lite.Features.Operations.Reconcile;
using OfferHub.Lite.Features.Operations.RetryDeadLetter;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Paging;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Host.Cli;

/// <summary>The command-line half of the binary: `dotnet run -- keys create ...`. Each command
/// sends the same mediator message the HTTP endpoint sends, so the logic lives in the slice.</summary>
public static class OfferHubCli
{
    private static readonly HashSet<string> Commands = ["migrate", "keys", "maintenance", "reconcile", "jobs", "demo", "--help", "-h", "-?", "help"];

    public static bool Handles(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("OfferHub.Lite: run with no arguments to serve the API, or use a command.")
        {
            MigrateCommand(),
            KeysCommand(),
            MaintenanceCommand(),
            ReconcileCommand(),
            JobsCommand(),
            DemoCommand(),
        };
        var parsed = root.Parse(args.Length > 0 && args[0] == "help" ? ["--help"] : args);
        return await parsed.InvokeAsync();
    }

    private static Command MigrateCommand()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "List pending migrations without applying them" };
        var command = new Command("migrate", "Apply database migrations and exit") { dryRun };
        command.SetAction((parse, ct) => RunInHost(async services =>
        {
            var migrator = services.GetRequiredService<Migrator>();
            var pending = migrator.Pending();
            if (parse.GetValue(dryRun))
            {
                Console.WriteLine(pending.Count == 0 ? "No pending migrations." : string.Join(Environment.NewLine, pending));
                return;
            }

            await migrator.MigrateAsync(ct);
            Console.WriteLine(pending.Count == 0 ? "Database is up to date." : $"Applied {pending.Count} migration(s).");
        }, migrate: false));
        return command;
    }

    private static Command KeysCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };

        var name = new Option<string>("--name") { Description = "A name for the key", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "Comma list of read, write, support", Required = true };
        var create = new Command("create", "Create an API key and print it once") { name, scopes, json };
        create.SetAction((parse, ct) => RunInHost(async services =>
        {
            var result = await Send(services, new CreateApiKey.Command(parse.GetValue(name), SplitScopes(parse.GetValue(scopes))), ct);
            Print(parse.GetValue(json), result, $"{result.ApiKey}\n(id {result.Id}, scopes {string.Join(',', result.Scopes)}; shown once, store it now)");
        }));

        var list = new Command("list", "List API keys (never their secrets)") { json };
        list.SetAction((parse, ct) => RunInHost(async services =>
        {
            var page = await Send(services, new ListApiKeys.Query(PageRequest.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), null), ct);
            Print(parse.GetValue(json), page.Data, string.Join('\n', page.Data.Select(k =>
                $"{k.Id}  {k.KeyPrefix}...  {k.Status,-8} {string.Join(',', k.Scopes),-20} {k.Name}")));
        }));

        var keyId = new Argument<string>("KEY_ID") { Description = "The key_ id to revoke" };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation" };
        var revoke = new Command("revoke", "Revoke an API key") { keyId, yes, json };
        revoke.SetAction((parse, ct) => RunInHost(async services =>
        {
            var id = parse.GetValue(keyId)!;
            if (!parse.GetValue(yes) && !Confirm($"Revoke {id}? It stops working at once. [y/N] "))
            {
                throw new ApiException(400, "ABORTED", "Not revoked.");
            }

            var result = await Send(services, new RevokeApiKey.Command(id), ct);
            Print(parse.GetValue(json), result, $"{result.Id} revoked at {result.RevokedAt:O}");
        }));

        var tokenScopes = new Option<string>("--scopes") { Description = "Comma list of read, write, support", Required = true };
        var ttl = new Option<int>("--ttl") { Description = "Lifetime in seconds (60 to 86400)", DefaultValueFactory = _ => MintToken.DefaultTtlSeconds };
        var tokenUser = new Option<string?>("--user") { Description = "Bind the token to this user (usr_...), for that user's browser" };
        var token = new Command("token", "Mint a short-lived token") { tokenScopes, ttl, tokenUser, json };
        token.SetAction((parse, ct) => RunInHost(async services =>
        {
            var result = await Send(services, new MintToken.Command(SplitScopes(parse.GetValue(tokenScopes)), parse.GetValue(ttl), parse.GetValue(tokenUser)), ct);
            Print(parse.GetValue(json), result, $"{result.Token}\n(expires {result.ExpiresAt:O})");
        }));

        return new Command("keys", "Manage API keys and tokens") { create, list, revoke, token };
    }

    private static Command MaintenanceCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var message = new Option<string>("--message") { Description = "What clients are told while maintenance is on" };
        var enable = new Command("enable", "Refuse mutating API calls (503 MAINTENANCE) on every instance") { message, json };
        enable.SetAction((parse, ct) => RunInHost(async services =>
        {
            var state = await Send(services, new SetMaintenance.Command(true, parse.GetValue(message)), ct);
            Print(parse.GetValue(json), state, $"Maintenance mode is ON: {state.Message}");
        }));
        var disable = new Command("disable", "Accept mutating API calls again") { json };
        disable.SetAction((parse, ct) => RunInHost(async services =>
        {
            var state = await Send(services, new SetMaintenance.Command(false, null), ct);
            Print(parse.GetValue(json), state, "Maintenance mode is OFF.");
        }));
        var status = new Command("status", "Show whether maintenance mode is on") { json };
        status.SetAction((parse, ct) => RunInHost(async services =>
        {
            var state = await Send(services, new GetMaintenance.Query(), ct);
            Print(parse.GetValue(json), state, state.Enabled ? $"Maintenance mode is ON since {state.Since:O}: {state.Message}" : "Maintenance mode is OFF.");
        }));
        return new Command("maintenance", "Maintenance mode, shared by all instances") { enable, disable, status };
    }

    private static Command ReconcileCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var fix = new Option<bool>("--fix") { Description = "Re-read what is stuck from its provider and advance it (without: report only)" };
        var command = new Command("reconcile", "Run the reconciliation checks now and print a report") { fix, json };
        command.SetAction((parse, ct) => RunInHost(async services =>
        {
            var report = await Send(services, new Reconcile.Command(parse.GetValue(fix)), ct);
            var lines = report.Stuck.Select(i => $"{i.Kind} {i.Id}: {i.Before}" + (i.After != i.Before ? $" -> {i.After}" : string.Empty) + (i.Error is null ? string.Empty : $" (error: {i.Error})"))
                .Append(report.LedgerBalanced
                    ? "ledger: balanced"
                    : $"ledger: MISMATCH, total {report.LedgerTotal}; " + string.Join("; ", report.LedgerMismatches.Select(m => $"{m.Account} balance {m.Balance} vs entries {m.EntriesTotal}")))
                .Concat(report.Places.Select(p => $"{p.Name} ({p.Account}): ledger {Amount.Format(p.Ledger)}, provider "
                    + (p.Provider is { } reported ? Amount.Format(reported) + (p.Reconciled ? ", reconciled" : $", DIFFERENCE {Amount.Format(p.Difference!.Value)}") : $"unknown ({p.Error})")));
            Print(parse.GetValue(json), report, (report.Stuck.Count == 0 ? "Nothing is stuck." + Environment.NewLine : string.Empty) + string.Join(Environment.NewLine, lines));
        }));
        return command;
    }

    private static Command JobsCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var list = new Command("list", "The background jobs, their period and their last run") { json };
        list.SetAction((parse, ct) => RunInHost(async services =>
        {
            var jobs = await Send(services, new ListJobs.Query(), ct);
            Print(parse.GetValue(json), jobs, string.Join(Environment.NewLine, jobs.Select(job => $"{job.Name,-20} every {job.EverySeconds,5} s   last: " +
                (job.LastRun is not { } last ? "never" : $"{last.Status} {Timestamps.FromMs(last.FinishedAt):O} {last.Summary ?? last.Error}"))));
        }));
        var dead = new Command("dead", "Runs that failed every try") { json };
        dead.SetAction((parse, ct) => RunInHost(async services =>
        {
            var rows = await Send(services, new ListDeadLetters.Query(), ct);
            Print(parse.GetValue(json), rows, rows.Count == 0 ? "No dead letters." : string.Join(Environment.NewLine,
                rows.Select(r => $"{r.Id} {r.Job} failed {r.Attempts} time(s) at {Timestamps.FromMs(r.FailedAt):O}{(r.RetriedAt is null ? string.Empty : " (retried)")}: {r.Error}")));
        }));
        var id = new Argument<string>("ID") { Description = "The dead letter to run again" };
        var retry = new Command("retry", "Run a dead-lettered job again now") { id, json };
        retry.SetAction((parse, ct) => RunInHost(async services =>
        {
            var retried = await Send(services, new RetryDeadLetter.Command(parse.GetValue(id)!), ct);
            Print(parse.GetValue(json), new { id = retried.Id, job = retried.Job, summary = retried.Summary }, $"{retried.Job}: {retried.Summary}");
        }));
        return new Command("jobs", "Background jobs and their dead letters") { list, dead, retry };
    }

    private static Command DemoCommand()
    {
        var command = new Command("demo", "Run the whole money flow (top-up, escrow, release, withdrawal) against the built-in simulators on a throw-away database, printing each step with balances");
        command.SetAction(async (_, ct) =>
        {
            try
            {
                return await Demo.RunAsync(ct);
            }
            catch (StartupConfigurationException failure)
            {
                await Console.Error.WriteLineAsync("error: " + failure.Message);
                return 1;
            }
            catch (Exception failure) when (failure is InvalidOperationException or TimeoutException or HttpRequestException)
            {
                await Console.Error.WriteLineAsync("error: " + failure.Message);
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunInHost(Func<IServiceProvider, Task> work, bool migrate = true)
    {
        try
        {
            var builder = WebApplication.CreateBuilder(OfferHubHost.Options([]));
            builder.Configuration.AddOfferHubSettings();
            builder.Logging.ClearProviders();
            var options = OptionsSetup.Load(builder.Configuration, builder.Environment);
            builder.Services.AddOfferHubOptions(options).AddOfferHubCore();
            await using var app = builder.Build();
            if (migrate)
            {
                await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
            }

            // The CLI's locks (reconcile --fix resumes escrow operations) name this process: it
            // beats like a server, so that no server takes them for a dead process's.
            using var liveness = ActivatorUtilities.CreateInstance<ProcessLiveness>(app.Services);
            await liveness.StartAsync(CancellationToken.None);
            try
            {
                await using var scope = app.Services.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<RequestContext>().Actor = new Actor("system", "cli");
                await work(scope.ServiceProvider);
            }
            finally
            {
                await liveness.StopAsync(CancellationToken.None);
            }

            return 0;
        }
        catch (ApiException error)
        {
            await Console.Error.WriteLineAsync($"error: {error.Code}: {error.Message}{Fields(error)}");
            return 1;
        }
        catch (StartupConfigurationException error)
        {
            await Console.Error.WriteLineAsync("error: " + error.Message);
            return 1;
        }
        catch (Exception error) when (error is System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await Console.Error.WriteLineAsync("error: " + StartupFailure.Describe(error));
            return 1;
        }
    }

    private static Task<T> Send<T>(IServiceProvider services, ICommand<T> command, CancellationToken ct) =>
        services.GetRequiredService<ISender>().Send(command, ct).AsTask();

    private static Task<T> Send<T>(IServiceProvider services, IQuery<T> query, CancellationToken ct) =>
        services.GetRequiredService<ISender>().Send(query, ct).AsTask();

    private static List<string> SplitScopes(string? scopes) =>
        (scopes ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static void Print<T>(bool asJson, T value, string text) =>
        Console.WriteLine(asJson ? JsonSerializer.Serialize(value, ApiJson.Options) : text);

    private static bool Confirm(string question)
    {
        if (Console.IsInputRedirected)
        {
            return false;
        }

        Console.Write(question);
        return Console.ReadLine()?.Trim().ToLowerInvariant() is "y" or "yes";
    }

    private static string Fields(ApiException error) =>
        error.Details.TryGetValue("fields", out var fields) && fields is IEnumerable<Dictionary<string, object?>> list
            ? " (" + string.Join("; ", list.Select(f => $"{f["field"]} {f["message"]}")) + ")"
            : string.Empty;
}
