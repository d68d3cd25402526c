using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Features.Escrow;

/// <summary>The life of one signature request (states.md): recorded PENDING with the unsigned
/// transaction of its step, SUBMITTED while Trustless Work has the signed one, back to PENDING when
/// the network did not take it, EXPIRED when nobody signed in time, CONFIRMED once, with the step's
/// effect. Each change is committed before the next provider call, so a failure leaves the request
/// where it was and the same call resumes it.</summary>
public sealed class SignatureLifecycle(
    Db db,
    TrustlessClient trustless,
    EscrowProviderSteps provider,
    EscrowEffects effects,
    StateChanges states,
    Outbox outbox,
    OfferHubOptions options,
    TimeProvider clock)
{
    private const string SignatureSql = "SELECT " + SignatureRow.Columns + " FROM signatures WHERE id = @id";
    private const string InsertSignatureSql = """
        INSERT INTO signatures (id, operation_id, step, attempt, order_id, operation, signer_role, signer_address, unsigned_xdr, status, expires_at, created_at, updated_at)
        VALUES (@Id, @OperationId, @Step, @Attempt, @OrderId, @Operation, @SignerRole, @SignerAddress, @UnsignedXdr, @Status, @ExpiresAt, @CreatedAt, @UpdatedAt)
        ON CONFLICT (operation_id, step, attempt) DO NOTHING
        """;

    private const string SignatureErrorSql = "UPDATE signatures SET last_error = @error WHERE id = @id";
    private const string OperationErrorSql = "UPDATE escrow_operations SET last_error = @error, updated_at = @now WHERE id = @id";
    private const string OpenerSql = "SELECT opened_by FROM disputes WHERE order_id = @orderId";

    // The contract id arrives with the confirmed deploy; a deploy signed after an expired one is a
    // new contract, and the escrow follows the one that was confirmed.
    private const string ContractSql = "UPDATE escrows SET contract_id = @contractId, updated_at = @now WHERE id = @id AND status = 'CREATING'";
    private const string NextStepSql = """
        UPDATE escrow_operations SET next_step = next_step + 1, status = CASE WHEN next_step + 1 >= @count THEN 'DONE' ELSE status END,
            last_error = NULL, updated_at = @now
        WHERE id = @id AND next_step = @step
        """;

    /// <summary>Asks Trustless Work for the next step's unsigned transaction and records the signature request.</summary>
    public async Task<SignatureRow> PrepareAsync(EscrowOperationRow operation, long attempt, CancellationToken ct)
    {
        var step = operation.StepList[(int)operation.NextStep];
        var order = await OrderStore.GetAsync(db, operation.OrderId, ct);
        var escrow = await EscrowStore.GetByOrderAsync(db, order.Id, ct);
        var parties = await EscrowParties.ForAsync(db, order, options, ct);
        var opener = await db.QuerySingleOrDefaultAsync<string>(OpenerSql, new { orderId = order.Id }, ct);
        var (role, address) = parties.SignerOf(step, opener);
        TransactionToSign transaction;
        try
        {
            transaction = await provider.TransactionAsync(step, order, escrow, parties, address, ct);
        }
        catch (ProviderException failure)
        {
            await db.ExecuteAsync(OperationErrorSql, new { id = operation.Id, error = failure.Code, now = clock.NowMs() }, ct);
            await db.CheckpointAsync(ct);
            throw;
        }

        if (transaction.Status != SendTransactionResult.Success || transaction.UnsignedTransaction is not { Length: > 0 } unsigned)
        {
            throw ProviderException.InvalidResponse(TrustlessClient.Provider, $"{step.Kind} answered {transaction.Status} without a transaction to sign");
        }

        var now = clock.NowMs();
        var signature = new SignatureRow(Ids.New("sig"), operation.Id, operation.NextStep, attempt, order.Id, step.Kind, role, address, unsigned,
            SignatureStates.Pending, null, now + (long)TimeSpan.FromMinutes(options.Trustless.SignatureTtlMinutes).TotalMilliseconds, now, now);
        if (await db.ExecuteAsync(InsertSignatureSql, signature, ct) == 1)
        {
            await outbox.PublishAsync("signature.required", "signature", signature.Id, order.UserIds,
                new { signature_id = signature.Id, order_id = order.Id, operation = step.Kind, signer_role = role }, ct);
        }

        signature = await db.QuerySingleAsync<SignatureRow>(EscrowOperationRunner.SignatureByStepSql, new { operationId = operation.Id, step = operation.NextStep }, ct);
        await db.CheckpointAsync(ct);
        return signature;
    }

    /// <summary>Submits a signed transaction for <paramref name="signature"/>; on success the step
    /// is confirmed and its effect applied.</summary>
    public async Task SubmitAsync(SignatureRow signature, string signedXdr, CancellationToken ct)
    {
        await states.MoveAsync(SignatureStates.Machine, SignatureStates.Table, signature.Id, signature.Status, "submit", null, ct);
        await db.CheckpointAsync(ct);
        SendTransactionResult result;
        try
        {
            result = await trustless.SendTransactionAsync(signedXdr, ct);
        }
        catch (ProviderException failure)
        {
            // Timed out (the network may have it: the same signed transaction can be sent again, and
            // reconciliation reads the escrow to confirm it) or refused: the request waits again.
            await ReopenAsync(signature, failure.ProviderCode ?? failure.Code, ct);
            throw;
        }

        if (result.Status != SendTransactionResult.Success)
        {
            // FAILED: the network refused the transaction (a wrong signer, a contract rule). The
            // request reopens for a correct signature and the caller learns why.
            var reason = result.Message is { Length: > 0 } message ? message[..Math.Min(message.Length, 300)] : result.Status;
            await ReopenAsync(signature, "transaction_failed: " + reason, ct);
            throw new ProviderException(502, Infrastructure.Errors.ApiErrors.ProviderError, $"{TrustlessClient.Provider} refused the transaction: {reason}", false,
                new Dictionary<string, object?>
                {
                    ["provider"] = TrustlessClient.Provider,
                    ["provider_code"] = "transaction_failed",
                    ["provider_message"] = reason,
                    ["signature_id"] = signature.Id,
                    ["retry_recommended"] = false,
                });
        }

        if (signature.Operation == EscrowSteps.Deploy && result.ContractId is null)
        {
            await ReopenAsync(signature, "deploy_without_contract_id", ct);
            throw ProviderException.InvalidResponse(TrustlessClient.Provider, "the deploy's send-transaction answer has no contractId");
        }

        await ConfirmAsync(signature.Id, ct, result.ContractId);
    }

    /// <summary>Confirms a step (after a successful submission, from reading the escrow, or from an
    /// optional notification) and applies its effect, once. A deploy is confirmed only together
    /// with the contract id it created. Returns false when it was already confirmed or cannot be.</summary>
    public async Task<bool> ConfirmAsync(string signatureId, CancellationToken ct, string? contractId = null)
    {
        var signature = await db.QuerySingleAsync<SignatureRow>(SignatureSql, new { id = signatureId }, ct);
        // The order lock serialises every confirmation of this order's operations.
        var order = await OrderStore.LockAsync(db, signature.OrderId, ct);
        signature = await db.QuerySingleAsync<SignatureRow>(SignatureSql, new { id = signatureId }, ct);
        var operation = await EscrowOperationRunner.OperationAsync(db, signature.OperationId, ct);
        if (signature.Status is not (SignatureStates.Pending or SignatureStates.Submitted) || operation.NextStep != signature.Step || operation.Status != EscrowOperationRunner.Running
            || (signature.Operation == EscrowSteps.Deploy && contractId is null))
        {
            await db.CheckpointAsync(ct);
            return false;
        }

        await states.MoveAsync(SignatureStates.Machine, SignatureStates.Table, signature.Id, signature.Status, "confirm", null, ct);
        var steps = operation.StepList;
        var step = steps[(int)signature.Step];
        if (step.Kind == EscrowSteps.Deploy)
        {
            await db.ExecuteAsync(ContractSql, new { id = (await EscrowStore.GetByOrderAsync(db, order.Id, ct)).Id, contractId, now = clock.NowMs() }, ct);
        }

        var escrow = await EscrowStore.GetByOrderAsync(db, order.Id, ct);
        await effects.ApplyStepAsync(order, escrow, step, ct);
        await db.ExecuteAsync(NextStepSql, new { id = operation.Id, step = signature.Step, count = steps.Count, now = clock.NowMs() }, ct);
        await outbox.PublishAsync("signature.confirmed", "signature", signature.Id, order.UserIds,
            new { signature_id = signature.Id, order_id = order.Id, operation = signature.Operation }, ct);
        if (signature.Step + 1 >= steps.Count)
        {
            await effects.FinishAsync(await OrderStore.GetAsync(db, order.Id, ct), operation.Intent, ct);
        }

        await db.CheckpointAsync(ct);
        return true;
    }

    /// <summary>Confirms the step <paramref name="signature"/> is for when Trustless Work shows that
    /// it already happened (its confirmation was lost, or its process died before recording it).</summary>
    public async Task<bool> ConfirmIfHappenedAsync(EscrowOperationRow operation, SignatureRow signature, CancellationToken ct)
    {
        var escrow = await EscrowStore.GetByOrderAsync(db, operation.OrderId, ct);
        var step = operation.StepList[(int)signature.Step];
        return await provider.HappenedOnChainAsync(step, escrow, ct) is { } onChain && await ConfirmAsync(signature.Id, ct, onChain.ContractId);
    }

    /// <summary>A submission whose outcome nobody recorded (its process died while Trustless Work
    /// had it): confirmed when the network shows it, otherwise reopened so that the same signed
    /// transaction can be sent again. Returns the signature as it now is.</summary>
    public async Task<SignatureRow> SettleInterruptedAsync(SignatureRow signature, CancellationToken ct)
    {
        var operation = await EscrowOperationRunner.OperationAsync(db, signature.OperationId, ct);
        if (signature.Status != SignatureStates.Submitted || await ConfirmIfHappenedAsync(operation, signature, ct))
        {
            return await db.QuerySingleAsync<SignatureRow>(SignatureSql, new { id = signature.Id }, ct);
        }

        return await ReopenInterruptedAsync(signature, ct);
    }

    public async Task<SignatureRow> ReopenInterruptedAsync(SignatureRow signature, CancellationToken ct)
    {
        await ReopenAsync(signature, "interrupted", ct);
        return await db.QuerySingleAsync<SignatureRow>(SignatureSql, new { id = signature.Id }, ct);
    }

    /// <summary>Marks a request nobody signed in time as expired; the step then gets a new one.</summary>
    public async Task<SignatureRow> ExpireAsync(SignatureRow signature, CancellationToken ct)
    {
        await states.MoveAsync(SignatureStates.Machine, SignatureStates.Table, signature.Id, signature.Status, "expire", null, ct);
        await db.CheckpointAsync(ct);
        return signature with { Status = SignatureStates.Expired };
    }

    private async Task ReopenAsync(SignatureRow signature, string error, CancellationToken ct)
    {
        var current = await ResourceRows.LockAsync<SignatureRow>(db, SignatureStates.Table, SignatureRow.Columns, signature.Id, ct);
        // A notification may have confirmed it meanwhile; then there is nothing to reopen.
        if (current?.Status == SignatureStates.Submitted)
        {
            await states.MoveAsync(SignatureStates.Machine, SignatureStates.Table, signature.Id, SignatureStates.Submitted, "retry", error, ct);
            await db.ExecuteAsync(SignatureErrorSql, new { id = signature.Id, error }, ct);
        }

        await db.CheckpointAsync(ct);
    }
}
