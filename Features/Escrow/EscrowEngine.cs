using System.Text.Json;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Providers;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;
using OfferHub.Lite.Infrastructure.StateMachines;
using Cents = OfferHub.Lite.Infrastructure.Money.Amount;

namespace OfferHub.Lite.Features.Escrow;

/// <summary>Runs escrow operations: each is a queue of Trustless Work steps, and each step is one
/// unsigned transaction that the right key holder signs. The engine asks Trustless Work for the
/// transaction, records the signature request, gets it signed (by the external signer, or by the
/// client through /signatures/{id}/submit), submits it, and on confirmation applies the step's
/// effect: money moves only then. Every stage is committed before the next provider call, so a
/// failure leaves the operation where it was and the same call resumes it.</summary>
public sealed partial class EscrowEngine(
    Db db,
    TrustlessClient trustless,
    IHttpClientFactory clients,
    StateChanges states,
    OrderTransitions orders,
    Outbox outbox,
    Ledger ledger,
    OfferHubOptions options,
    TimeProvider clock,
    ILogger<EscrowEngine> logger)
{
    public const string SignerClientName = "trustless-signer";
    public const string Running = "RUNNING";
    public const string Done = "DONE";

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LeasePoll = TimeSpan.FromMilliseconds(100);

    private const string InsertOperationSql = """
        INSERT INTO escrow_operations (id, order_id, operation_key, intent, status, steps, next_step, created_at, updated_at)
        VALUES (@id, @orderId, @operationKey, @intent, 'RUNNING', @steps, 0, @now, @now)
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
    private const string OperationErrorSql = "UPDATE escrow_operations SET last_error = @error, updated_at = @now WHERE id = @id";
    private const string NextStepSql = """
        UPDATE escrow_operations SET next_step = next_step + 1, status = CASE WHEN next_step + 1 >= @count THEN 'DONE' ELSE status END,
            last_error = NULL, updated_at = @now
        WHERE id = @id AND next_step = @step
        """;

    private const string SignatureByStepSql = "SELECT " + SignatureRow.Columns + " FROM signatures WHERE operation_id = @operationId AND step = @step ORDER BY attempt DESC LIMIT 1";
    private const string SignatureSql = "SELECT " + SignatureRow.Columns + " FROM signatures WHERE id = @id";
    private const string InsertSignatureSql = """
        INSERT INTO signatures (id, operation_id, step, attempt, order_id, operation, signer_role, signer_address, unsigned_xdr, status, expires_at, created_at, updated_at)
        VALUES (@Id, @OperationId, @Step, @Attempt, @OrderId, @Operation, @SignerRole, @SignerAddress, @UnsignedXdr, @Status, @ExpiresAt, @CreatedAt, @UpdatedAt)
        ON CONFLICT (operation_id, step, attempt) DO NOTHING
        """;

    private const string SignatureErrorSql = "UPDATE signatures SET last_error = @error WHERE id = @id";
    // The contract id arrives with the confirmed deploy; a deploy signed after an expired one is a
    // new contract, and the escrow follows the one that was confirmed.
    private const string ContractSql = "UPDATE escrows SET contract_id = @contractId, updated_at = @now WHERE id = @id AND status = 'CREATING'";
    private const string FundedSql = "UPDATE escrows SET funded_amount = @amount, updated_at = @now WHERE id = @id";
    private const string PaidOutSql = """
        UPDATE escrows SET released_amount = released_amount + @toSeller, refunded_amount = refunded_amount + @toBuyer, updated_at = @now WHERE id = @id
        """;

    private const string OrderPaidOutSql = """
        UPDATE orders SET released_amount = released_amount + @toSeller, refunded_amount = refunded_amount + @toBuyer, updated_at = @now WHERE id = @id
        """;

    private const string DisputeSql = "SELECT opened_by, decision FROM disputes WHERE order_id = @orderId";

    /// <summary>Starts the operation named <paramref name="operationKey"/> once (a second start finds
    /// the first), commits it together with whatever the caller changed, and runs it as far as
    /// signatures allow.</summary>
    public async Task<EscrowOperationRow> StartAsync(string orderId, string operationKey, string intent, IReadOnlyList<EscrowStep> steps, CancellationToken ct)
    {
        await db.ExecuteAsync(InsertOperationSql, new
        {
            id = Ids.New("eop"),
            orderId,
            operationKey,
            intent,
            steps = ApiJson.Serialize(steps),
            now = clock.NowMs(),
        }, ct);
        var operation = await db.QuerySingleAsync<EscrowOperationRow>(OperationByKeySql, new { operationKey }, ct);
        await db.CheckpointAsync(ct);
        return await AdvanceAsync(operation.Id, ct);
    }

    /// <summary>The natural idempotency of escrow actions: an operation already started under
    /// <paramref name="operationKey"/> is resumed (and <paramref name="begin"/> not run again);
    /// otherwise <paramref name="begin"/> makes the request's own state changes in the caller's
    /// transaction and returns the steps to run.</summary>
    public async Task<EscrowOperationRow> StartOrResumeAsync(string orderId, string operationKey, string intent,
        Func<Task<IReadOnlyList<EscrowStep>>> begin, CancellationToken ct)
    {
        if (await db.QuerySingleOrDefaultAsync<EscrowOperationRow>(OperationByKeySql, new { operationKey }, ct) is { } existing)
        {
            await db.CheckpointAsync(ct);
            return await AdvanceAsync(existing.Id, ct);
        }

        return await StartAsync(orderId, operationKey, intent, await begin(), ct);
    }

    public Task<EscrowOperationRow?> FindAsync(string operationKey, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<EscrowOperationRow>(OperationByKeySql, new { operationKey }, ct);

    /// <summary>Runs the operation from its next step: prepares, gets signed and submits step after
    /// step until it is done or waits for a signature. Only the holder of the lease works on it.</summary>
    public async Task<EscrowOperationRow> AdvanceAsync(string operationId, CancellationToken ct)
    {
        var token = ProcessLiveness.NewToken();
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (!await TakeLeaseAsync(operationId, token, ct))
        {
            // Another runner has it (the resume service, a concurrent retry): its outcome is this
            // caller's too, so wait a little for it rather than answer a step in the middle.
            var current = await OperationAsync(operationId, ct);
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
                var operation = await OperationAsync(operationId, ct);
                if (operation.Status != Running)
                {
                    return operation;
                }

                var signature = await db.QuerySingleOrDefaultAsync<SignatureRow>(SignatureByStepSql, new { operationId, step = operation.NextStep }, ct);
                if (signature is { Status: SignatureStates.Pending } && clock.NowMs() > signature.ExpiresAt)
                {
                    signature = await ExpireAsync(signature, ct);
                }

                if (signature is { Status: SignatureStates.Submitted })
                {
                    // Its submission was interrupted (the process that sent it died), or a client's
                    // /submit is under way. What the network shows decides; only where the engine
                    // itself submits (under this lease) is an unconfirmed one sent again.
                    if (await ConfirmIfHappenedAsync(operation, signature, ct))
                    {
                        continue;
                    }

                    if (options.Trustless.Signing != "external")
                    {
                        return operation;
                    }

                    signature = await ReopenInterruptedAsync(signature, ct);
                }

                if (signature is null || signature.Status == SignatureStates.Expired)
                {
                    signature = await PrepareAsync(operation, (signature?.Attempt ?? -1) + 1, ct);
                }

                if (signature.Status != SignatureStates.Pending || options.Trustless.Signing != "external"
                    || await AskSignerAsync(signature, ct) is not { } signed)
                {
                    return operation;
                }

                await SubmitAsync(signature, signed, ct);
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
        var operation = await OperationAsync(operationId, ct);
        if (operation.Status != Running)
        {
            return operation;
        }

        var signature = await db.QuerySingleOrDefaultAsync<SignatureRow>(SignatureByStepSql, new { operationId, step = operation.NextStep }, ct);
        if (signature is { Status: SignatureStates.Pending or SignatureStates.Submitted })
        {
            await ConfirmIfHappenedAsync(operation, signature, ct);
        }

        return await AdvanceAsync(operationId, ct);
    }

    /// <summary>Confirms the step <paramref name="signature"/> is for when Trustless Work shows that
    /// it already happened (its confirmation was lost, or its process died before recording it).
    /// A deploy whose answer was lost is found by its engagement id (our order id); any other step
    /// is read from the contract it acts on.</summary>
    private async Task<bool> ConfirmIfHappenedAsync(EscrowOperationRow operation, SignatureRow signature, CancellationToken ct)
    {
        var escrow = await EscrowStore.GetByOrderAsync(db, operation.OrderId, ct);
        var step = operation.StepList[(int)signature.Step];
        var onChain = step.Kind == EscrowSteps.Deploy
            ? await trustless.FindByEngagementAsync(escrow.OrderId, ct)
            : escrow.ContractId is { } contract ? await trustless.GetEscrowAsync(contract, ct) : null;
        return onChain is not null && Happened(step, onChain, escrow.Multi, escrow.Amount) && await ConfirmAsync(signature.Id, ct, onChain.ContractId);
    }

    /// <summary>A submission whose outcome nobody recorded (its process died while Trustless Work
    /// had it): confirmed when the network shows it, otherwise reopened so that the same signed
    /// transaction can be sent again. Returns the signature as it now is.</summary>
    public async Task<SignatureRow> SettleInterruptedAsync(SignatureRow signature, CancellationToken ct)
    {
        var operation = await OperationAsync(signature.OperationId, ct);
        if (signature.Status != SignatureStates.Submitted || await ConfirmIfHappenedAsync(operation, signature, ct))
        {
            return await db.QuerySingleAsync<SignatureRow>(SignatureSql, new { id = signature.Id }, ct);
        }

        return await ReopenInterruptedAsync(signature, ct);
    }

    private async Task<SignatureRow> ReopenInterruptedAsync(SignatureRow signature, CancellationToken ct)
    {
        await ReopenAsync(signature, "interrupted", ct);
        return await db.QuerySingleAsync<SignatureRow>(SignatureSql, new { id = signature.Id }, ct);
    }

    /// <summary>Whether the contract as Trustless Work reports it shows the step's effect. Both escrow
    /// shapes, with every optional field missing, are read without failing: what is absent has not
    /// happened. Single-release: milestones[i].approved and top-level flags; multi-release:
    /// milestones[i].flags.</summary>
    internal static bool Happened(EscrowStep step, Infrastructure.Providers.TrustlessWork.Escrow onChain, bool multi, long amount)
    {
        var milestone = onChain.Milestone(step.Milestone ?? 0);
        return step.Kind switch
        {
            EscrowSteps.Deploy => onChain.ContractId is not null,
            EscrowSteps.Fund => onChain.Balance is { } balance && ProviderMoney.ToCents(TrustlessClient.Provider, balance) >= amount,
            EscrowSteps.CompleteMilestone => !string.IsNullOrEmpty(milestone?.Status),
            EscrowSteps.ApproveMilestone => (multi ? milestone?.Flags?.Approved : milestone?.Approved) == true,
            EscrowSteps.Release => onChain.Flags?.Released == true,
            EscrowSteps.ReleaseMilestone => milestone?.Flags?.Released == true,
            EscrowSteps.Dispute => onChain.Flags?.Disputed == true,
            EscrowSteps.DisputeMilestone => milestone?.Flags?.Disputed == true,
            EscrowSteps.Resolve => onChain.Flags?.Resolved == true,
            _ => milestone?.Flags?.Resolved == true,
        };
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
        var operation = await OperationAsync(signature.OperationId, ct);
        if (signature.Status is not (SignatureStates.Pending or SignatureStates.Submitted) || operation.NextStep != signature.Step || operation.Status != Running
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
        await ApplyStepAsync(order, escrow, step, ct);
        await db.ExecuteAsync(NextStepSql, new { id = operation.Id, step = signature.Step, count = steps.Count, now = clock.NowMs() }, ct);
        await outbox.PublishAsync("signature.confirmed", "signature", signature.Id, order.UserIds,
            new { signature_id = signature.Id, order_id = order.Id, operation = signature.Operation }, ct);
        if (signature.Step + 1 >= steps.Count)
        {
            await FinishAsync(await OrderStore.GetAsync(db, order.Id, ct), operation.Intent, ct);
        }

        await db.CheckpointAsync(ct);
        return true;
    }

    private async Task<EscrowOperationRow> OperationAsync(string id, CancellationToken ct) =>
        await db.QuerySingleAsync<EscrowOperationRow>(OperationSql, new { id }, ct);

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

    /// <summary>Asks Trustless Work for the step's unsigned transaction and records the signature request.</summary>
    private async Task<SignatureRow> PrepareAsync(EscrowOperationRow operation, long attempt, CancellationToken ct)
    {
        var step = operation.StepList[(int)operation.NextStep];
        var order = await OrderStore.GetAsync(db, operation.OrderId, ct);
        var escrow = await EscrowStore.GetByOrderAsync(db, order.Id, ct);
        var parties = await EscrowParties.ForAsync(db, order, options, ct);
        var opener = (await db.QuerySingleOrDefaultAsync<DisputeParty>(DisputeSql, new { orderId = order.Id }, ct))?.OpenedBy;
        var (role, address) = parties.SignerOf(step, opener);
        TransactionToSign transaction;
        try
        {
            transaction = await CallProviderAsync(step, order, escrow, parties, address, ct);
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

        signature = await db.QuerySingleAsync<SignatureRow>(SignatureByStepSql, new { operationId = operation.Id, step = operation.NextStep }, ct);
        await db.CheckpointAsync(ct);
        return signature;
    }

    private async Task<TransactionToSign> CallProviderAsync(EscrowStep step, OrderRow order, EscrowRow escrow, EscrowParties parties, string signer, CancellationToken ct)
    {
        var contract = escrow.ContractId ?? string.Empty;
        var index = step.Milestone ?? 0;
        // Custody (docs/money-model.md): whatever the resolution gives the seller or the buyer goes
        // back to the treasury wallet, and the ledger credits each user's share; one distribution.
        Distribution[] Distributions() => [new Distribution(parties.Treasury, ProviderMoney.ToDecimal(step.ToSeller + step.ToBuyer))];
        return step.Kind switch
        {
            EscrowSteps.Deploy => await trustless.DeployAsync(escrow.Multi, await DeployRequestAsync(order, escrow, parties, ct), ct),
            EscrowSteps.Fund => await trustless.FundAsync(escrow.Multi, TrustlessRequests.Fund(contract, signer, escrow.Amount), ct),
            EscrowSteps.CompleteMilestone => await trustless.ChangeMilestoneStatusAsync(escrow.Multi,
                TrustlessRequests.ChangeMilestoneStatus(contract, index, "completed", step.Evidence ?? $"OfferHub order {order.Id}, milestone {index}: delivered", signer), ct),
            EscrowSteps.ApproveMilestone => await trustless.ApproveMilestoneAsync(escrow.Multi, TrustlessRequests.ApproveMilestone(contract, index, signer), ct),
            EscrowSteps.Release => await trustless.ReleaseFundsAsync(TrustlessRequests.ReleaseFunds(contract, signer), ct),
            EscrowSteps.ReleaseMilestone => await trustless.ReleaseMilestoneFundsAsync(TrustlessRequests.ReleaseMilestoneFunds(contract, index, signer), ct),
            EscrowSteps.Dispute => await trustless.DisputeAsync(false, TrustlessRequests.Dispute(contract, null, signer), ct),
            EscrowSteps.DisputeMilestone => await trustless.DisputeAsync(true, TrustlessRequests.Dispute(contract, index, signer), ct),
            EscrowSteps.Resolve => await trustless.ResolveDisputeAsync(false, TrustlessRequests.ResolveDispute(contract, null, signer, Distributions()), ct),
            _ => await trustless.ResolveDisputeAsync(true, TrustlessRequests.ResolveDispute(contract, index, signer, Distributions()), ct),
        };
    }

    private async Task<DeployRequest> DeployRequestAsync(OrderRow order, EscrowRow escrow, EscrowParties parties, CancellationToken ct)
    {
        var milestones = await OrderStore.MilestonesAsync(db, [order.Id], ct);
        IReadOnlyList<DeployMilestone> contractMilestones = escrow.Multi
            ? [.. milestones.Select(m => new DeployMilestone(m.Title ?? m.MilestoneRef, ProviderMoney.ToDecimal(m.Amount), parties.Treasury))]
            : [new DeployMilestone(order.Title ?? "Order delivery")];
        return new DeployRequest(parties.Platform, order.Id, order.Title ?? $"Order {order.Id}", order.Description ?? $"OfferHub order {order.Id}", parties.RolesFor(escrow.Multi),
            escrow.Multi ? null : ProviderMoney.ToDecimal(escrow.Amount), options.Trustless.PlatformFeePercent, contractMilestones, new Trustline(options.Trustless.UsdcIssuer, "USDC"));
    }

    /// <summary>The signed transaction from the external signing service, or null when it did not
    /// sign now (held, refused or unreachable): the request then waits for /submit.</summary>
    private async Task<string?> AskSignerAsync(SignatureRow signature, CancellationToken ct)
    {
        try
        {
            using var response = await clients.CreateClient(SignerClientName).PostAsJsonAsync(options.Trustless.SignerUrl, new
            {
                signature_id = signature.Id,
                operation = signature.Operation,
                signer_role = signature.SignerRole,
                signer_address = signature.SignerAddress,
                unsigned_xdr = signature.UnsignedXdr,
            }, ct);
            if (response.StatusCode == System.Net.HttpStatusCode.OK
                && (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).TryGetProperty("signed_xdr", out var signed) && signed.GetString() is { Length: > 0 } xdr)
            {
                return xdr;
            }

            LogSignerDeclined(signature.Id, (int)response.StatusCode);
        }
        catch (Exception failure) when (failure is HttpRequestException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogSignerUnreachable(signature.Id, failure.GetType().Name);
        }

        return null;
    }

    /// <summary>What a confirmed step changes: milestone statuses, and money out of the escrow.</summary>
    private async Task ApplyStepAsync(OrderRow order, EscrowRow escrow, EscrowStep step, CancellationToken ct)
    {
        var milestone = step.Milestone is { } index ? (await OrderStore.MilestonesAsync(db, [order.Id], ct)).SingleOrDefault(m => m.Position == index) : null;
        var now = clock.NowMs();
        switch (step.Kind)
        {
            case EscrowSteps.Fund:
                // The treasury wallet funded the contract; the buyer's reserved money in the
                // enterprise Airtm account becomes the marketplace's, backing that float.
                await ledger.PostAsync(
                [
                    new Transfer(Accounts.Reserved(order.BuyerId), Accounts.PlatformFunds, escrow.Amount, "escrow_fund", "order", order.Id, "fund:buyer"),
                    new Transfer(Accounts.TreasuryWallet, Accounts.Escrow(order.Id), escrow.Amount, "escrow_fund", "order", order.Id, "fund"),
                ], ct);
                await db.ExecuteAsync(FundedSql, new { id = escrow.Id, amount = escrow.Amount, now }, ct);
                break;
            case EscrowSteps.CompleteMilestone or EscrowSteps.ApproveMilestone when milestone is not null:
                var status = step.Kind == EscrowSteps.CompleteMilestone ? "COMPLETED" : "APPROVED";
                await EscrowStore.SetMilestoneStatusAsync(db, order.Id, milestone.MilestoneRef, status, ct);
                await outbox.PublishAsync("escrow.milestone_completed", "escrow", escrow.Id, order.UserIds,
                    new { escrow_id = escrow.Id, order_id = order.Id, milestone_ref = milestone.MilestoneRef, status }, ct);
                break;
            case EscrowSteps.Release:
                await PayOutAsync(order, escrow, escrow.Remaining, 0, "release", ct, released: true);
                break;
            case EscrowSteps.ReleaseMilestone:
                await PayOutAsync(order, escrow, milestone!.Amount, 0, "release:" + milestone.MilestoneRef, ct, released: true);
                await EscrowStore.SetMilestoneStatusAsync(db, order.Id, milestone.MilestoneRef, "RELEASED", ct);
                break;
            case EscrowSteps.Resolve or EscrowSteps.ResolveMilestone:
                await PayOutAsync(order, escrow, step.ToSeller, step.ToBuyer, milestone is null ? "resolve" : "resolve:" + milestone.MilestoneRef, ct);
                if (milestone is not null)
                {
                    await EscrowStore.SetMilestoneStatusAsync(db, order.Id, milestone.MilestoneRef, step.ToBuyer == 0 ? "RELEASED" : step.ToSeller == 0 ? "REFUNDED" : "RESOLVED", ct);
                }

                break;
        }
    }

    /// <summary>Money out of the contract, exactly as it pays (docs/money-model.md): to the treasury
    /// wallet, and on a release the protocol and platform fees to their own places; the users'
    /// shares are credited from the marketplace's money in the enterprise Airtm account, which the
    /// treasury's float backs. The seller is credited what the contract paid, net of release fees.</summary>
    private async Task PayOutAsync(OrderRow order, EscrowRow escrow, long toSeller, long toBuyer, string leg, CancellationToken ct, bool released = false)
    {
        var split = released ? ReleaseSplit.Of(toSeller, options.Trustless.ProtocolFeePercent, options.Trustless.PlatformFeePercent) : new ReleaseSplit(toSeller, 0, 0);
        var transfers = new List<Transfer>
        {
            new(Accounts.Escrow(order.Id), Accounts.TreasuryWallet, split.Receiver + toBuyer, "escrow_payout", "order", order.Id, leg + ":treasury"),
            new(Accounts.Escrow(order.Id), Accounts.TrustlessWorkFees, split.ProtocolFee, "escrow_fee", "order", order.Id, leg + ":protocol_fee"),
            new(Accounts.Escrow(order.Id), Accounts.PlatformFees, split.PlatformFee, "escrow_fee", "order", order.Id, leg + ":platform_fee"),
            new(Accounts.PlatformFunds, Accounts.Available(order.SellerId), split.Receiver, "escrow_release", "order", order.Id, leg + ":seller"),
            new(Accounts.PlatformFunds, Accounts.Available(order.BuyerId), toBuyer, "escrow_refund", "order", order.Id, leg + ":buyer"),
        };
        transfers.RemoveAll(t => t.Amount == 0);

        if (await ledger.PostAsync(transfers, ct) == 0)
        {
            return;
        }

        var now = clock.NowMs();
        await db.ExecuteAsync(PaidOutSql, new { id = escrow.Id, toSeller, toBuyer, now }, ct);
        await db.ExecuteAsync(OrderPaidOutSql, new { id = order.Id, toSeller, toBuyer, now }, ct);
        foreach (var (type, amount) in new[] { ("escrow.released", toSeller), ("escrow.refunded", toBuyer) }.Where(x => x.Item2 > 0))
        {
            await outbox.PublishAsync(type, "escrow", escrow.Id, order.UserIds, new { escrow_id = escrow.Id, order_id = order.Id, amount = Cents.Format(amount) }, ct);
        }
    }

    /// <summary>What finishing the whole operation means for the escrow and the order.</summary>
    private async Task FinishAsync(OrderRow order, string intent, CancellationToken ct)
    {
        var escrow = await EscrowStore.GetByOrderAsync(db, order.Id, ct);
        switch (intent)
        {
            case EscrowIntents.Create:
                await MoveEscrowAsync(escrow, "deployed", ct);
                await orders.ApplyAsync(order, "escrow_deployed", null, ct);
                await PublishEscrowAsync("escrow.created", escrow, order, ct);
                break;
            case EscrowIntents.Fund:
                await MoveEscrowAsync(escrow, "funded", ct);
                order = await orders.ApplyAsync(order, "escrow_funded", null, ct);
                await orders.ApplyAsync(order, "start", null, ct);
                await PublishEscrowAsync("escrow.funded", escrow, order, ct);
                break;
            case EscrowIntents.ReleaseFull:
                await MoveEscrowAsync(escrow, "released", ct);
                order = await orders.ApplyAsync(order, "release_confirmed", null, ct);
                await orders.ApplyAsync(order, "close", null, ct, "RELEASED");
                break;
            case EscrowIntents.RefundFull:
                await MoveEscrowAsync(escrow, "refunded", ct);
                order = await orders.ApplyAsync(order, "refund_confirmed", null, ct);
                await orders.ApplyAsync(order, "close", null, ct, "REFUNDED");
                break;
            case EscrowIntents.ReleaseMilestone or EscrowIntents.RefundMilestone:
                await FinishPartialAsync(order, escrow, intent == EscrowIntents.ReleaseMilestone, ct);
                break;
            case EscrowIntents.OpenDispute:
                await PublishEscrowAsync("escrow.disputed", escrow, order, ct);
                break;
            case EscrowIntents.ResolveDispute:
                var decision = (await db.QuerySingleAsync<DisputeParty>(DisputeSql, new { orderId = order.Id }, ct)).Decision;
                var (escrowAction, orderAction, resolution) = decision switch
                {
                    "FULL_RELEASE" => ("resolved_release", "resolution_release", "RELEASED"),
                    "FULL_REFUND" => ("resolved_refund", "resolution_refund", "REFUNDED"),
                    _ => ("resolved_split", "resolution_split", "SPLIT"),
                };
                await MoveEscrowAsync(escrow, escrowAction, ct);
                order = await orders.ApplyAsync(order, orderAction, null, ct, resolution == "SPLIT" ? resolution : null);
                if (order.Status != OrderStates.Closed)
                {
                    await orders.ApplyAsync(order, "close", null, ct, resolution);
                }

                break;
        }
    }

    /// <summary>A milestone paid out: the order goes on while the escrow holds money, and ends like
    /// a FULL release or refund when the escrow is empty.</summary>
    private async Task FinishPartialAsync(OrderRow order, EscrowRow escrow, bool release, CancellationToken ct)
    {
        if (escrow.Remaining > 0)
        {
            await orders.ApplyAsync(order, "partial_confirmed", null, ct);
            return;
        }

        await MoveEscrowAsync(escrow, release ? "release" : "refund", ct);
        await MoveEscrowAsync(escrow with { Status = release ? EscrowStates.Releasing : EscrowStates.Refunding }, release ? "released" : "refunded", ct);
        order = await orders.ApplyAsync(order, release ? "request_release" : "request_refund", null, ct);
        order = await orders.ApplyAsync(order, release ? "release_confirmed" : "refund_confirmed", null, ct);
        await orders.ApplyAsync(order, "close", null, ct, release ? "RELEASED" : "REFUNDED");
    }

    public async Task MoveEscrowAsync(EscrowRow escrow, string action, CancellationToken ct) =>
        await states.MoveAsync(EscrowStates.Machine, EscrowStates.Table, escrow.Id, escrow.Status, action, null, ct);

    private Task<string> PublishEscrowAsync(string type, EscrowRow escrow, OrderRow order, CancellationToken ct) =>
        outbox.PublishAsync(type, "escrow", escrow.Id, order.UserIds,
            new { escrow_id = escrow.Id, order_id = order.Id, contract_id = escrow.ContractId, amount = Cents.Format(escrow.Amount) }, ct);

    private sealed record DisputeParty(string OpenedBy, string? Decision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signature {SignatureId}: the signer did not sign now ({Status}); waiting for /submit")]
    private partial void LogSignerDeclined(string signatureId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signature {SignatureId}: the signing service could not be reached ({Failure})")]
    private partial void LogSignerUnreachable(string signatureId, string failure);
}

/// <summary>The logical escrow operations (what a caller asked for), each run as steps.</summary>
public static class EscrowIntents
{
    public const string Create = "create_escrow";
    public const string Fund = "fund";
    public const string CompleteMilestone = "complete_milestone";
    public const string ReleaseFull = "release_full";
    public const string ReleaseMilestone = "release_milestone";
    public const string RefundFull = "refund_full";
    public const string RefundMilestone = "refund_milestone";
    public const string OpenDispute = "open_dispute";
    public const string ResolveDispute = "resolve_dispute";
}
