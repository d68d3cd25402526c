using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Features.Escrow;

/// <summary>Runs escrow operations: each is a queue of Trustless Work steps, and each step is one
/// unsigned transaction that the right key holder signs (<see cref="SignatureLifecycle"/>). The
/// runner starts an operation once, and under its lease takes it step after step: asks for the
/// transaction, gets it signed (by the external signer, or by the client through
/// /signatures/{id}/submit), submits it; money moves only when a step is confirmed
/// (<see cref="EscrowEffects"/>). Every stage is committed before the next provider call, so a
/// failure leaves the operation where it was and the same call resumes it.</summary>
public sealed class EscrowOperationRunner(Db db, SignatureLifecycle signatures, EscrowProviderSteps provider, OfferHubOptions options, TimeProvider clock)
{
    public const string Running = "RUNNING";
    public const string Done = "DONE";

    internal const string SignatureByStepSql = "SELECT " + SignatureRow.Columns + " FROM signatures WHERE operation_id = @operationId AND step = @step ORDER BY attempt DESC LIMIT 1";

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LeasePoll = TimeSpan.FromMilliseconds(100);

    // Leased by its starter in the transaction that records it: a process that dies before the
    // first step leaves it to ResumeOperations like any other interrupted operation.
    private const string InsertOperationSql = """
        INSERT INTO escrow_operations (id, order_id, operation_key, intent, status, steps, next_step, lease_token, lease_until, created_at, updated_at)
        VALUES (@id, @orderId, @operationKey, @intent, 'RUNNING', @steps, 0, @token, @leaseUntil, @now, @now)
        ON CONFLICT (operation_key) DO NOTHING
        """;

    private const string OperationByKeySql = "SELECT " + EscrowOperationRow.Columns + " FROM escrow_operations WHERE operation_key = @operationKey";
    private const string OperationSql = "SELECT " + EscrowOperationRow.Columns + " FROM escrow_operations WHERE id = @id";
    // A lease whose holder died (SIGKILL, crash) is taken over at once, not when it lapses.
    private static readonly string TakeLeaseSql = $"""
        UPDATE escrow_operations SET lease_token = @token, lease_until = @until
        WHERE id = @id AND status = 'RUNNING' AND (lease_until IS NULL OR lease_until < @now OR {ProcessLiveness.HolderGoneSql("lease_token")})
        """;

    private const string DropLeaseSql = "UPDATE escrow_operations SET lease_token = NULL, lease_until = NULL WHERE id = @id AND lease_token = @token";

    /// <summary>The natural idempotency of escrow actions: an operation already started under
    /// <paramref name="operationKey"/> is resumed (and <paramref name="begin"/> not run again);
    /// otherwise <paramref name="begin"/> makes the request's own state changes in the caller's
    /// transaction and returns the steps to run, and the operation is started with them.</summary>
    public async Task<EscrowOperationRow> StartOrResumeAsync(string orderId, string operationKey, string intent,
        Func<Task<IReadOnlyList<EscrowStep>>> begin, CancellationToken ct)
    {
        if (await FindAsync(operationKey, ct) is { } existing)
        {
            await db.CheckpointAsync(ct);
            return await AdvanceAsync(existing.Id, ct);
        }

        return await StartAsync(orderId, operationKey, intent, await begin(), ct);
    }

    public Task<EscrowOperationRow?> FindAsync(string operationKey, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<EscrowOperationRow>(OperationByKeySql, new { operationKey }, ct);

    /// <summary>Starts the operation named <paramref name="operationKey"/> once (a second start finds
    /// the first), commits it together with whatever the caller changed, and runs it as far as
    /// signatures allow.</summary>
    private async Task<EscrowOperationRow> StartAsync(string orderId, string operationKey, string intent, IReadOnlyList<EscrowStep> steps, CancellationToken ct)
    {
        var token = ProcessLiveness.NewToken();
        var now = clock.NowMs();
        var inserted = await db.ExecuteAsync(InsertOperationSql, new
        {
            id = Ids.New("eop"),
            orderId,
            operationKey,
            intent,
            steps = ApiJson.Serialize(steps),
            token,
            leaseUntil = now + (long)Lease.TotalMilliseconds,
            now,
        }, ct) == 1;
        var operation = await db.QuerySingleAsync<EscrowOperationRow>(OperationByKeySql, new { operationKey }, ct);
        await db.CheckpointAsync(ct);
        return await AdvanceAsync(operation.Id, inserted ? token : null, ct);
    }

    /// <summary>Runs the operation from its next step: prepares, gets signed and submits step after
    /// step until it is done or waits for a signature. Only the holder of the lease works on it.</summary>
    public Task<EscrowOperationRow> AdvanceAsync(string operationId, CancellationToken ct) => AdvanceAsync(operationId, null, ct);

    /// <summary>As <see cref="AdvanceAsync(string, CancellationToken)"/>, by the holder of
    /// <paramref name="heldLease"/> when the caller already has the lease (it started the operation).</summary>
    private async Task<EscrowOperationRow> AdvanceAsync(string operationId, string? heldLease, CancellationToken ct)
    {
        var token = heldLease ?? ProcessLiveness.NewToken();
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (heldLease is null && !await TakeLeaseAsync(operationId, token, ct))
        {
            // Another runner has it (the resume service, a concurrent retry): its outcome is this
            // caller's too, so wait a little for it rather than answer a step in the middle.
            var current = await OperationAsync(db, operationId, ct);
            if (current.Status != Running || waiting.Elapsed > LeaseWait)
            {
                return current;
            }

            await Task.Delay(LeasePoll, ct);
        }

        try
        {
            while (true)
            {
                var operation = await OperationAsync(db, operationId, ct);
                if (operation.Status != Running)
                {
                    return operation;
                }

                var signature = await db.QuerySingleOrDefaultAsync<SignatureRow>(SignatureByStepSql, new { operationId, step = operation.NextStep }, ct);
                if (signature is { Status: SignatureStates.Pending } && clock.NowMs() > signature.ExpiresAt)
                {
                    signature = await signatures.ExpireAsync(signature, ct);
                }

                if (signature is { Status: SignatureStates.Submitted })
                {
                    // Its submission was interrupted (the process that sent it died), or a client's
                    // /submit is under way. What the network shows decides; only where the engine
                    // itself submits (under this lease) is an unconfirmed one sent again.
                    if (await signatures.ConfirmIfHappenedAsync(operation, signature, ct))
                    {
                        continue;
                    }

                    if (options.Trustless.Signing != "external")
                    {
                        return operation;
                    }

                    signature = await signatures.ReopenInterruptedAsync(signature, ct);
                }

                if (signature is null || signature.Status == SignatureStates.Expired)
                {
                    signature = await signatures.PrepareAsync(operation, (signature?.Attempt ?? -1) + 1, ct);
                }

                if (signature.Status != SignatureStates.Pending || options.Trustless.Signing != "external"
                    || await provider.AskSignerAsync(signature, ct) is not { } signed)
                {
                    return operation;
                }

                await signatures.SubmitAsync(signature, signed, ct);
            }
        }
        finally
        {
            // Whatever failed is not committed; the lease is given back in a transaction of its own.
            await db.RollbackAsync();
            await db.ExecuteAsync(DropLeaseSql, new { id = operationId, token }, CancellationToken.None);
            await db.CheckpointAsync(CancellationToken.None);
        }
    }

    private async Task<bool> TakeLeaseAsync(string operationId, string token, CancellationToken ct)
    {
        var now = clock.NowMs();
        var (aliveSince, selfProcess) = ProcessLiveness.Parameters(options);
        var leased = await db.ExecuteAsync(TakeLeaseSql, new { id = operationId, token, until = now + (long)Lease.TotalMilliseconds, now, aliveSince, selfProcess }, ct) == 1;
        await db.CheckpointAsync(ct);
        return leased;
    }

    /// <summary>For reconciliation: when Trustless Work shows that the step an operation waits on
    /// already happened (its confirmation was lost), confirms it; then runs the operation on.
    /// Returns the operation as it now is.</summary>
    public async Task<EscrowOperationRow> ReconcileAsync(string operationId, CancellationToken ct)
    {
        var operation = await OperationAsync(db, operationId, ct);
        if (operation.Status != Running)
        {
            return operation;
        }

        var signature = await db.QuerySingleOrDefaultAsync<SignatureRow>(SignatureByStepSql, new { operationId, step = operation.NextStep }, ct);
        if (signature is { Status: SignatureStates.Pending or SignatureStates.Submitted })
        {
            await signatures.ConfirmIfHappenedAsync(operation, signature, ct);
        }

        return await AdvanceAsync(operationId, ct);
    }

    internal static async Task<EscrowOperationRow> OperationAsync(Db db, string id, CancellationToken ct) =>
        await db.QuerySingleAsync<EscrowOperationRow>(OperationSql, new { id }, ct);
}
