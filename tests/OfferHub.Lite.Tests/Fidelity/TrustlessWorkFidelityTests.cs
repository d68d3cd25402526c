using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Fidelity;

/// <summary>Fidelity to Trustless Work's official package, checked mechanically: every request our
/// client sent and every answer our simulator gave during the escrow flows (both escrow types,
/// releases, a refund, a dispute split) is written out as TypeScript typed with the package's own
/// types (@trustless-work/escrow 3.0.5, installed with its lock file in tests/fidelity/trustless-work)
/// and type-checked with tsc --strict: a missing, extra or mistyped field fails the test.</summary>
public sealed class TrustlessWorkFidelityTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string SimRoot = "/sim/trustless-work";

    [SkippableFact]
    public async Task What_our_client_sends_and_our_simulator_answers_type_checks_against_the_official_package()
    {
        var checker = Checker.Find();
        _ = fixture.Get(Dialect.Sqlite);
        await using var app = new TestApp(Dialect.Sqlite, fixture.NewDatabaseUrl(Dialect.Sqlite));
        var client = await app.WriterAsync();

        var single = await client.FundedOrderAsync("40.00", "40.00");
        await (await client.PostNewAsync($"/api/v1/orders/{single.Order}/release", new { mode = "FULL" })).OkAsync();
        var refunded = await client.FundedOrderAsync("20.00", "20.00");
        await (await client.PostNewAsync($"/api/v1/orders/{refunded.Order}/refund", new { mode = "FULL" })).OkAsync();
        var split = await client.FundedOrderAsync("30.00", "30.00");
        var dispute = (await (await client.PostNewAsync($"/api/v1/orders/{split.Order}/disputes", new { opened_by = "seller", reason = "no answer" }))
            .OkAsync(HttpStatusCode.Created)).Str("dispute_id");
        await (await client.PostNewAsync($"/api/v1/disputes/{dispute}/resolve", new { decision = "SPLIT", amount_to_seller = "20.00", amount_to_buyer = "10.00" })).OkAsync();
        var milestones = new object[] { new { milestone_ref = "m1", title = "Design", amount = "10.00" }, new { milestone_ref = "m2", title = "Build", amount = "15.00" } };
        var multi = await client.FundedOrderAsync("25.00", "25.00", milestones);
        await (await client.PostNewAsync($"/api/v1/orders/{multi.Order}/release", new { mode = "PARTIAL", milestone_ref = "m1" })).OkAsync();
        await (await client.PostNewAsync($"/api/v1/orders/{multi.Order}/refund", new { mode = "PARTIAL", milestone_ref = "m2" })).OkAsync();

        // The reads reconciliation makes, on both escrow types.
        var trustless = app.Services.GetRequiredService<TrustlessClient>();
        var contracts = new List<string>();
        foreach (var order in new[] { single.Order, multi.Order })
        {
            var contract = (await client.OrderAsync(order)).GetProperty("escrow").Str("trustless_contract_id");
            contracts.Add(contract);
            Assert.True(Infrastructure.Stellar.StellarAddress.IsValidContract(contract), $"{contract} is not a valid Stellar contract address");
            Assert.Equal(contract, (await trustless.GetEscrowAsync(contract, default))?.ContractId);
            Assert.Equal(contract, (await trustless.FindByEngagementAsync(order, default))?.ContractId);
        }

        Assert.Equal(2, (await trustless.GetBalancesAsync(contracts, default)).Count);

        var program = TypeScript.Of(app.TrustlessTraffic.Exchanges);
        Assert.Contains("InitializeMultiReleaseEscrowPayload", program, StringComparison.Ordinal);
        Assert.Contains("MultiReleaseResolveDisputePayload", program, StringComparison.Ordinal);
        Assert.Contains("GetEscrowsFromIndexerResponse", program, StringComparison.Ordinal);
        var (ok, output) = await checker.CheckAsync("recorded", program);
        Assert.True(ok, "Trustless Work traffic does not match @trustless-work/escrow's types:\n" + output);
    }

    [SkippableFact]
    public async Task A_field_the_package_does_not_know_fails_the_check()
    {
        var checker = Checker.Find();
        var drifted = TypeScript.Of(
        [
            new("POST", SimRoot + "/escrow/single-release/fund-escrow", """{"contractId":"C1","signer":"G1","amount":10,"memo":"x"}""", 200, """{"status":"SUCCESS","unsignedTransaction":"AAA"}"""),
        ]);
        var (ok, output) = await checker.CheckAsync("drifted", drifted);
        Assert.False(ok, "an unknown field passed the type check");
        Assert.Contains("memo", output, StringComparison.Ordinal);
    }

    /// <summary>Turns recorded exchanges into one TypeScript module, each body typed with the
    /// package type of its endpoint (client.mjs names which endpoint takes and answers what).</summary>
    private static class TypeScript
    {
        public static string Of(IReadOnlyList<ProviderTraffic.Exchange> exchanges)
        {
            var code = new StringBuilder("import type * as TW from \"@trustless-work/escrow/types\";\n\n");
            var index = 0;
            foreach (var exchange in exchanges.Where(e => e.Status is >= 200 and < 300))
            {
                var path = exchange.PathAndQuery[(exchange.PathAndQuery.IndexOf(SimRoot, StringComparison.Ordinal) + SimRoot.Length)..];
                var route = path.Split('?')[0];
                var (request, response) = Types(route, exchange.ResponseBody);
                if (request is not null && exchange.RequestBody is { } body)
                {
                    code.Append(CultureInvariant($"export const request{index}: {request} = {body};\n"));
                }

                if (path.Contains('?', StringComparison.Ordinal))
                {
                    code.Append(CultureInvariant($"export const query{index}: {QueryType(route)} = {Query(path.Split('?')[1])};\n"));
                }

                if (IsMultiDeployAnswer(route, exchange.ResponseBody, out var envelope, out var escrow))
                {
                    // The package types this answer as InitializeSingleReleaseEscrowResponse & {escrow:
                    // MultiReleaseEscrow}, an intersection no multi-release escrow can satisfy; we check
                    // the envelope and the escrow each against its own type (docs/providers/trustless-work.md).
                    code.Append(CultureInvariant($"export const response{index}: Omit<TW.InitializeMultiReleaseEscrowResponse, \"escrow\"> = {envelope};\n"));
                    code.Append(CultureInvariant($"export const escrow{index}: TW.MultiReleaseEscrow = {escrow};\n"));
                }
                else
                {
                    code.Append(CultureInvariant($"export const response{index}: {response} = {exchange.ResponseBody};\n"));
                }

                index++;
            }

            return code.ToString();
        }

        private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

        private static (string? Request, string Response) Types(string route, string responseBody) => route switch
        {
            "/deployer/single-release" => ("TW.InitializeSingleReleaseEscrowPayload", "TW.EscrowRequestResponse"),
            "/deployer/multi-release" => ("TW.InitializeMultiReleaseEscrowPayload", "TW.EscrowRequestResponse"),
            "/escrow/single-release/fund-escrow" or "/escrow/multi-release/fund-escrow" => ("TW.FundEscrowPayload", "TW.EscrowRequestResponse"),
            "/escrow/single-release/change-milestone-status" or "/escrow/multi-release/change-milestone-status" => ("TW.ChangeMilestoneStatusPayload", "TW.EscrowRequestResponse"),
            "/escrow/single-release/approve-milestone" or "/escrow/multi-release/approve-milestone" => ("TW.ApproveMilestonePayload", "TW.EscrowRequestResponse"),
            "/escrow/single-release/release-funds" => ("TW.SingleReleaseReleaseFundsPayload", "TW.EscrowRequestResponse"),
            "/escrow/multi-release/release-milestone-funds" => ("TW.MultiReleaseReleaseFundsPayload", "TW.EscrowRequestResponse"),
            "/escrow/single-release/dispute-escrow" => ("TW.SingleReleaseStartDisputePayload", "TW.EscrowRequestResponse"),
            "/escrow/multi-release/dispute-milestone" => ("TW.MultiReleaseStartDisputePayload", "TW.EscrowRequestResponse"),
            "/escrow/single-release/resolve-dispute" => ("TW.SingleReleaseResolveDisputePayload", "TW.EscrowRequestResponse"),
            "/escrow/multi-release/resolve-milestone-dispute" => ("TW.MultiReleaseResolveDisputePayload", "TW.EscrowRequestResponse"),
            // client.mjs: sendTransaction(signedXdr) posts { signedXdr }.
            "/helper/send-transaction" => ("{ signedXdr: string }", JsonNode.Parse(responseBody)?["contractId"] is null ? "TW.SendTransactionResponse" : "TW.InitializeSingleReleaseEscrowResponse"),
            "/helper/get-escrow-by-contract-ids" or "/helper/get-escrows-by-role" => (null, "TW.GetEscrowsFromIndexerResponse[]"),
            "/helper/get-multiple-escrow-balance" => (null, "TW.GetEscrowBalancesResponse[]"),
            _ => throw new InvalidOperationException($"No package type is known for {route}: map it here before calling it."),
        };

        private static string QueryType(string route) => route switch
        {
            "/helper/get-escrow-by-contract-ids" => "TW.GetEscrowFromIndexerByContractIdsParams",
            "/helper/get-escrows-by-role" => "TW.GetEscrowsFromIndexerByRoleParams",
            "/helper/get-multiple-escrow-balance" => "TW.GetBalanceParams",
            _ => throw new InvalidOperationException($"No query type is known for {route}"),
        };

        /// <summary>The params object axios serialised: key[]=v entries are arrays, true/false booleans.</summary>
        private static string Query(string query)
        {
            var values = new JsonObject();
            foreach (var pair in query.Split('&'))
            {
                var (key, value) = (Uri.UnescapeDataString(pair.Split('=')[0]), Uri.UnescapeDataString(pair.Split('=', 2)[1]));
                JsonNode node = value is "true" or "false" ? JsonValue.Create(value == "true") : JsonValue.Create(value);
                if (key.EndsWith("[]", StringComparison.Ordinal))
                {
                    key = key[..^2];
                    ((values[key] ??= new JsonArray()) as JsonArray)!.Add(node);
                }
                else
                {
                    values[key] = node;
                }
            }

            return values.ToJsonString();
        }

        private static bool IsMultiDeployAnswer(string route, string body, out string envelope, out string escrow)
        {
            envelope = escrow = string.Empty;
            if (route != "/helper/send-transaction" || JsonNode.Parse(body) is not JsonObject answer
                || answer["escrow"] is not JsonObject { } inner || inner["milestones"]?[0]?["receiver"] is null)
            {
                return false;
            }

            answer.Remove("escrow");
            (envelope, escrow) = (answer.ToJsonString(), inner.ToJsonString());
            return true;
        }
    }

    /// <summary>tsc from tests/fidelity/trustless-work (npm ci there; .ci/run does it). Without node
    /// the test is skipped loudly, and fails under CI=true.</summary>
    private sealed class Checker(string directory, string node)
    {
        public static Checker Find()
        {
            var directory = FindDirectory();
            var node = new[] { "/usr/bin/node", "/usr/local/bin/node" }.FirstOrDefault(File.Exists);
            if (node is null || directory is null)
            {
                var reason = node is null ? "node not found (install nodejs; .ci/run does)" : "tests/fidelity/trustless-work not found";
                Assert.False(Environment.GetEnvironmentVariable("CI") == "true", reason);
                Skip.If(true, "SKIPPED (no Trustless Work fidelity check): " + reason);
            }

            return new Checker(directory!, node!);
        }

        public async Task<(bool Ok, string Output)> CheckAsync(string name, string program)
        {
            if (!File.Exists(Path.Combine(directory, "node_modules", "typescript", "bin", "tsc")))
            {
                var (installed, log) = await RunAsync("/usr/bin/npm", "ci", "--no-audit", "--no-fund");
                Assert.True(installed, "npm ci in tests/fidelity/trustless-work failed:\n" + log);
            }

            // Each check in a directory of its own, so the two tests never see each other's files.
            var folder = Path.Combine(directory, "recorded", name);
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "traffic.ts"), program);
            await File.WriteAllTextAsync(Path.Combine(folder, "tsconfig.json"),
                """{ "extends": "../../tsconfig.json", "include": ["traffic.ts"] }""");
            return await RunAsync(node, Path.Combine(directory, "node_modules", "typescript", "bin", "tsc"), "-p", Path.Combine(folder, "tsconfig.json"));
        }

        private async Task<(bool Ok, string Output)> RunAsync(string file, params string[] arguments)
        {
            var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(deadline.Token);
            return (process.ExitCode == 0, await output + await error);
        }

        private static string? FindDirectory()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "fidelity", "trustless-work");
                if (File.Exists(Path.Combine(candidate, "package-lock.json")))
                {
                    return candidate;
                }
            }

            return null;
        }
    }
}
