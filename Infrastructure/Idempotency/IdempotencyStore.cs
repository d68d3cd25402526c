using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Idempotency;

public abstract record Claim
{
    /// <summary>The key is this request's; <see cref="Resumed"/> when it was taken over from an
    /// attempt that was interrupted, whose work may be partly or wholly done.</summary>
    public sealed record Acquired(string LockToken, bool Resumed = false) : Claim;

    public sealed record Replay(int Status, string Body) : Claim;

    public sealed record Reused : Claim;

    public sealed record InProgress : Claim;
}

/// <summary>The idempotency_keys table. A key is claimed in the request's own transaction, so a
/// request that only touches our database commits its claim, effect and response at once; one
/// that calls a provider commits the claim with its local record at its checkpoint before the
/// call. The response is stored guarded by the claim's lock token, so that a request whose lock
/// was taken over cannot commit a second effect.</summary>
public sealed class IdempotencyStore(Db db, TimeProvider clock, OfferHubOptions options)
{
    private const string InsertSql = """
        INSERT INTO idempotency_keys (owner, idem_key, request_hash, state, lock_token, locked_until, created_at)
        VALUES (@owner, @key, @hash, 'in_progress', @token, @lockedUntil, @now)
        ON CONFLICT (owner, idem_key) DO NOTHING
        """;

    private const string SelectSql = """
        SELECT request_hash, state, lock_token, locked_until, response_status, response_body, expires_at
        FROM idempotency_keys WHERE owner = @owner AND idem_key = @key
        """;

    // A completed key past its retention window is reusable as new.
    private const string RenewExpiredSql = """
        UPDATE idempotency_keys
        SET request_hash = @hash, state = 'in_progress', lock_token = @token, locked_until = @lockedUntil,
            response_status = NULL, response_body = NULL, created_at = @now, expires_at = NULL
        WHERE owner = @owner AND idem_key = @key AND expires_at IS NOT NULL AND expires_at <= @now
        """;

    // A key left in progress by a crashed process is taken over once its lock has lapsed, or at
    // once when the process that holds it is gone.
    private static readonly string TakeOverSql = $"""
        UPDATE idempotency_keys SET lock_token = @token, locked_until = @lockedUntil
        WHERE owner = @owner AND idem_key = @key AND state = 'in_progress' AND lock_token = @previous
          AND (locked_until <= @now OR {ProcessLiveness.HolderGoneSql("lock_token")})
        """;

    private const string CompleteSql = """
        UPDATE idempotency_keys SET state = 'completed', response_status = @status, response_body = @body, expires_at = @expiresAt
        WHERE owner = @owner AND idem_key = @key AND lock_token = @token AND state = 'in_progress'
        """;

    // The lock ends now: the next retry takes the key over at once, as it would a dead process's.
    private const string InterruptSql = """
        UPDATE idempotency_keys SET locked_until = @now
        WHERE owner = @owner AND idem_key = @key AND lock_token = @token AND state = 'in_progress'
        """;

    private const string ReleaseSql = "DELETE FROM idempotency_keys WHERE owner = @owner AND idem_key = @key AND lock_token = @token AND state = 'in_progress'";

    /// <summary>Claims the key inside the current unit of work (the caller holds the scope). On
    /// PostgreSQL a concurrent first use of the same key waits here until that request has
    /// committed or rolled back, and then sees its outcome.</summary>
    public async Task<Claim> ClaimAsync(string owner, string key, string hash, CancellationToken ct)
    {
        var now = clock.NowMs();
        var token = ProcessLiveness.NewToken();
        var lockedUntil = now + (options.IdempotencyLockSeconds * 1000L);
        var args = new { owner, key, hash, token, lockedUntil, now };
        Claim claim;
        if (await db.ExecuteAsync(InsertSql, args, ct) == 1 || await db.ExecuteAsync(RenewExpiredSql, args, ct) == 1)
        {
            claim = new Claim.Acquired(token);
        }
        else
        {
            var row = await db.QuerySingleAsync<KeyRow>(SelectSql, args, ct);
            if (row.RequestHash != hash)
            {
                claim = new Claim.Reused();
            }
            else if (row.State == "completed")
            {
                claim = new Claim.Replay((int)(row.ResponseStatus ?? 200), row.ResponseBody ?? "null");
            }
            else if (ProcessLiveness.Parameters(options) is var (aliveSince, selfProcess)
                     && await db.ExecuteAsync(TakeOverSql, new { owner, key, token, lockedUntil, now, previous = row.LockToken, aliveSince, selfProcess }, ct) == 1)
            {
                claim = new Claim.Acquired(token, Resumed: true);
            }
            else
            {
                claim = new Claim.InProgress();
            }
        }

        return claim;
    }

    /// <summary>Stores the response in the current (business) transaction. False when the claim
    /// was lost to a take-over: the caller must then roll back.</summary>
    public async Task<bool> CompleteAsync(string owner, string key, string token, int status, string body, TimeSpan? retention, CancellationToken ct)
    {
        long? expiresAt = retention is { } window ? clock.NowMs() + (long)window.TotalMilliseconds : null;
        return await db.ExecuteAsync(CompleteSql, new { owner, key, token, status, body, expiresAt }, ct) == 1;
    }

    /// <summary>Frees the key after a failed attempt so that the client may retry it.</summary>
    public async Task ReleaseAsync(string owner, string key, string token)
    {
        await using var scope = db.BeginScope();
        await db.ExecuteAsync(ReleaseSql, new { owner, key, token }, CancellationToken.None);
        await scope.CompleteAsync();
    }

    /// <summary>Leaves the key in progress after an attempt whose outcome is unknown (its provider
    /// call timed out or its connection dropped after the claim was committed), so that the
    /// client's retry takes it over as resumed, exactly as after a crash, and answers the outcome
    /// instead of running as a new request against state the first attempt moved on.</summary>
    public async Task InterruptAsync(string owner, string key, string token)
    {
        await using var scope = db.BeginScope();
        await db.ExecuteAsync(InterruptSql, new { owner, key, token, now = clock.NowMs() }, CancellationToken.None);
        await scope.CompleteAsync();
    }

    private sealed record KeyRow(string RequestHash, string State, string LockToken, long LockedUntil, long? ResponseStatus, string? ResponseBody, long? ExpiresAt);
}
