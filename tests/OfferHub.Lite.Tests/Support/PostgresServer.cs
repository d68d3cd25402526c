using System.Diagnostics;
using Npgsql;

namespace OfferHub.Lite.Tests.Support;

/// <summary>A throw-away PostgreSQL started from the machine's own binaries (initdb + pg_ctl) on
/// a free port in a temp dir, once per test run; each test class gets a fresh database in it.
/// As root (sessions and CI) it runs as the postgres user, since initdb refuses root.</summary>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer?> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? unavailableReason;

    private readonly string binDirectory;
    private readonly string dataDirectory;
    private readonly string rootDirectory;
    private readonly bool asPostgresUser;

    private PostgresServer(string binDirectory, string rootDirectory, int port, bool asPostgresUser)
    {
        this.binDirectory = binDirectory;
        this.rootDirectory = rootDirectory;
        dataDirectory = Path.Combine(rootDirectory, "data");
        Port = port;
        this.asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    /// <summary>Set before first use to run with fsync on, as a production server does.</summary>
    public static bool Durable { get; set; }

    /// <summary>The running server, or null with <see cref="UnavailableReason"/> saying why.</summary>
    public static PostgresServer? Instance => Shared.Value;

    public static string UnavailableReason => unavailableReason ?? "PostgreSQL is available";

    /// <summary>A new empty database; returns its DATABASE_URL.</summary>
    public string CreateDatabase()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name}";
        command.ExecuteNonQuery();
        return $"postgresql://postgres@127.0.0.1:{Port}/{name}";
    }

    private static PostgresServer? Start()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin"))
                .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
        if (bin is null)
        {
            unavailableReason = "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (install the 'postgresql' package; .ci/run does)";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException("CI must run the PostgreSQL tests: " + unavailableReason);
            }

            return null;
        }

        var asPostgres = Environment.UserName == "root";
        var root = Path.Combine(Path.GetTempPath(), "offerhub-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        if (asPostgres)
        {
            Run("chown", ["-R", "postgres:postgres", root], asUser: false);
        }

        var server = new PostgresServer(bin, root, Ports.Free(), asPostgres);
        server.InitAndStart();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    private void InitAndStart()
    {
        Exec("initdb", ["-D", dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        // Tests trade durability for speed; the bench (Durable) measures what production runs.
        var durability = Durable ? "-c fsync=on -c synchronous_commit=on -c full_page_writes=on" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        var settings = $"-p {Port} -k {rootDirectory} -c listen_addresses=127.0.0.1 -c max_connections=500 {durability} -c shared_buffers=64MB";
        Exec("pg_ctl", ["-D", dataDirectory, "-o", settings, "-l", Path.Combine(rootDirectory, "server.log"), "-w", "-t", "60", "start"]);
    }

    private void Stop()
    {
        try
        {
            Exec("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"]);
            Directory.Delete(rootDirectory, recursive: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Best effort at process exit: a leftover temp dir is harmless.
        }
    }

    private void Exec(string tool, string[] args) => Run(Path.Combine(binDirectory, tool), args, asPostgresUser);

    private static void Run(string file, string[] args, bool asUser)
    {
        var start = new ProcessStartInfo(asUser ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} timed out");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {stderr.Result} {stdout.Result}");
        }
    }
}
