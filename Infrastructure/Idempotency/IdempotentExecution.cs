using System.Security.Cryptography;
using System.Text;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Errors;
using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Infrastructure.Idempotency;

/// <summary>The response of an idempotent request: fresh, or replayed from the stored bytes.</summary>
public sealed record IdempotentOutcome(int Status, string Body, bool Replayed);

/// <summary>The Idempotency-Key semantics of api.md, for any front door (the API's endpoint filter,
/// the console's forms): claim the key for the caller's owner, run the work and store its status
/// and body, all in one unit of work, and answer repeats from the stored bytes.</summary>
public sealed class IdempotentExecution(IdempotencyStore store, Db db, RequestContext request)
{
    /// <summary>1 to 255 printable ASCII characters, as api.md asks of the header.</summary>
    public static bool IsValidKey(string? key) => key is { Length: >= 1 and <= 255 } && key.All(c => c is >= '!' and <= '~');

    /// <summary>SHA-256 of method, path with query string, and the raw body bytes.</summary>
    public static string RequestHash(string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{method}\n{pathAndQuery}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string KeyHash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task<IdempotentOutcome> RunAsync(string key, string requestHash, IdempotencyPolicy policy, Func<Task<(int Status, string Body)>> work, CancellationToken ct)
    {
        var scope = db.BeginScope();
        Claim claim;
        try
        {
            claim = await store.ClaimAsync(request.IdempotencyOwner, key, requestHash, ct);
            if (claim is not Claim.Acquired)
            {
                await scope.CompleteAsync();
            }
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }

        // The span carries the key's hash only: the key is the client's, and may be guessable.
        System.Diagnostics.Activity.Current?.SetTag("offerhub.idempotency_key_hash", KeyHash(key));
        Observability.ProductMetrics.Idempotency(claim switch
        {
            Claim.Replay => "replayed",
            Claim.Reused => "reused",
            Claim.InProgress => "in_progress",
            _ => "executed",
        });
        switch (claim)
        {
            case Claim.Replay replay:
                System.Diagnostics.Activity.Current?.SetTag("offerhub.idempotent_replay", true);
                return new IdempotentOutcome(replay.Status, replay.Body, Replayed: true);
            case Claim.Reused:
                throw new ApiException(409, ApiErrors.IdempotencyKeyReused, "This Idempotency-Key was used for a different request");
            case Claim.InProgress:
                throw new ApiException(409, ApiErrors.IdempotencyKeyInProgress, "A request with this Idempotency-Key is still being processed");
        }

        var acquired = (Claim.Acquired)claim;
        var token = acquired.LockToken;
        request.IdempotencyKey = key;
        request.IdempotencyResumed = acquired.Resumed;
        var commitsBeforeWork = db.Commits;
        try
        {
            var (status, body) = await work();
            if (!await store.CompleteAsync(request.IdempotencyOwner, key, token, status, body, policy.Retention, ct))
            {
                throw new ApiException(409, ApiErrors.IdempotencyKeyInProgress, "A retry of this request took over its Idempotency-Key");
            }

            await scope.CompleteAsync();
            return new IdempotentOutcome(status, body, Replayed: false);
        }
        catch (Exception failure)
        {
            // Rolling back drops a claim (or take-over) that was never committed. One that a
            // checkpoint committed (the work called a provider) is freed when the request was
            // refused, and otherwise left for the retry to resume (see IdempotencyStore.InterruptAsync).
            var claimCommitted = db.Commits != commitsBeforeWork;
            await scope.DisposeAsync();
            if (claimCommitted && Refused(failure))
            {
                await store.ReleaseAsync(request.IdempotencyOwner, key, token);
            }
            else if (claimCommitted)
            {
                await store.InterruptAsync(request.IdempotencyOwner, key, token);
            }

            throw;
        }
    }

    /// <summary>Whether a failure says the request did not happen: our own 4xx (validation, a
    /// business rule) or a provider's definitive refusal. Anything else (a provider timeout, a
    /// dropped connection, a provider 5xx, a database failure, the client hanging up) may have
    /// left work done at the provider that nobody recorded.</summary>
    private static bool Refused(Exception failure) => failure switch
    {
        Providers.ProviderException provider => !provider.MayHaveApplied,
        ApiException api => api.Status < 500,
        _ => false,
    };
}
