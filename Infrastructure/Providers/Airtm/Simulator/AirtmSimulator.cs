namespace OfferHub.Lite.Infrastructure.Providers.Airtm.Simulator;

/// <summary>The built-in Airtm: its own users, pay-ins, payouts and operator balance, in memory
/// (a simulator's state does not survive a restart, like a fresh sandbox). Every change that Airtm
/// would announce is queued as a Svix callback. Tests steer it through the _control endpoints.</summary>
public sealed class AirtmSimulator(AirtmCallbacks callbacks, TimeProvider clock)
{
    public const string OutcomeCompleted = "completed";

    private readonly Lock gate = new();
    private readonly Dictionary<string, SimUser> users = Seed();
    private readonly Dictionary<string, Payin> payins = [];
    private readonly Dictionary<string, Payout> payouts = [];
    private long operatorBalanceCents = 1_000_000_00;
    private string commitOutcome = OutcomeCompleted;

    public sealed record SimUser(string Id, string Email, string Status, string FirstName);

    public sealed class SimulatorException(int status, string code, string message) : Exception(message)
    {
        public int Status { get; } = status;

        public string Code { get; } = code;
    }

    private static Dictionary<string, SimUser> Seed() => new[]
    {
        new SimUser(Guid.NewGuid().ToString(), "buyer@sim.airtm", "active", "Bea"),
        new SimUser(Guid.NewGuid().ToString(), "seller@sim.airtm", "active", "Sol"),
        new SimUser(Guid.NewGuid().ToString(), "inactive@sim.airtm", "inactive", "Ian"),
    }.ToDictionary(u => u.Email, StringComparer.OrdinalIgnoreCase);

    public long OperatorBalanceCents
    {
        get
        {
            lock (gate)
            {
                return operatorBalanceCents;
            }
        }
    }

    /// <summary>GET /me/balance: committed payouts still pending are taken from the operator's
    /// balance at commit, and Airtm reports them as pending (part of the balance) until they end.</summary>
    public AirtmBalance Balance()
    {
        lock (gate)
        {
            var pending = payouts.Values.Where(p => p.Status is not ("CREATED" or "COMPLETED" or "FAILED" or "CANCELED")).Sum(p => AirtmMoney.ToCents(p.GrossAmount));
            return new AirtmBalance(AirtmMoney.ToUsd(operatorBalanceCents), AirtmMoney.ToUsd(pending));
        }
    }

    public SimUser AddUser(string email, string status)
    {
        lock (gate)
        {
            var user = new SimUser(Guid.NewGuid().ToString(), email, status, email.Split('@')[0]);
            users[email] = user;
            return user;
        }
    }

    public IReadOnlyList<SimUser> ActiveUsers()
    {
        lock (gate)
        {
            return [.. users.Values.Where(u => u.Status == "active").OrderBy(u => u.Email, StringComparer.Ordinal)];
        }
    }

    public AirtmUser? FindUser(string email)
    {
        lock (gate)
        {
            return users.TryGetValue(email, out var u) ? new AirtmUser(u.Id, u.Status, true, u.FirstName, "Simulated", "USA", true) : null;
        }
    }

    public void SetCommitOutcome(string outcome)
    {
        lock (gate)
        {
            commitOutcome = outcome;
        }
    }

    // ---- pay-ins ----

    public Payin CreatePayin(CreatePayinRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Code) || request.Amount <= 0 || string.IsNullOrWhiteSpace(request.Description)
            || request.Items is not { Count: > 0 } || request.Items.Sum(i => i.Amount * i.Quantity) != request.Amount
            || !Uri.IsWellFormedUriString(request.ConfirmationUri, UriKind.Absolute) || !Uri.IsWellFormedUriString(request.CancelUri, UriKind.Absolute))
        {
            throw new SimulatorException(400, "400001", "Invalid pay-in request");
        }

        lock (gate)
        {
            if (payins.Values.Any(p => p.Code == request.Code))
            {
                throw new SimulatorException(409, "409001", "A pay-in with this code already exists");
            }

            var now = clock.GetUtcNow();
            var payin = new Payin(Guid.NewGuid().ToString(), request.Code, Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()), "CREATED",
                request.Amount, null, null, request.Description, request.Items, null, null, null, now, now, request.ConfirmationUri, request.CancelUri);
            payins[payin.Id] = payin;
            callbacks.Enqueue("payin.created", payin);
            return payin;
        }
    }

    public Payin? GetPayin(string id)
    {
        lock (gate)
        {
            return payins.GetValueOrDefault(id);
        }
    }

    public Payin? FindPayinByCode(string code)
    {
        lock (gate)
        {
            return payins.Values.FirstOrDefault(p => p.Code == code);
        }
    }

    public IReadOnlyList<Payin> ListPayins()
    {
        lock (gate)
        {
            return [.. payins.Values.OrderByDescending(p => p.CreatedAt)];
        }
    }

    /// <summary>The payer confirms: the pay-in is paid, Airtm keeps a 1 % fee.</summary>
    public Payin ConfirmPayin(string id, string payerEmail)
    {
        lock (gate)
        {
            var payin = Open(id);
            var payer = users.GetValueOrDefault(payerEmail);
            if (payer is not { Status: "active" })
            {
                throw new SimulatorException(422, "422002", "The payer is not an active Airtm user");
            }

            var cents = AirtmMoney.ToCents(payin.Amount);
            var fee = cents / 100;
            operatorBalanceCents += cents - fee;
            return Update(payin with
            {
                Status = "CONFIRMED",
                AirtmUserId = payer.Id,
                AirtmUserEmail = payer.Email,
                AirtmFee = AirtmMoney.ToUsd(fee),
                NetAmount = AirtmMoney.ToUsd(cents - fee),
            }, "payin.confirmed");
        }
    }

    public Payin RejectPayin(string id, string reason)
    {
        lock (gate)
        {
            return Update(Open(id) with { Status = "FAILED", FailureReason = reason }, "payin.failed");
        }
    }

    public Payin CancelPayin(string id)
    {
        lock (gate)
        {
            return Update(Open(id) with { Status = "CANCELED" }, "payin.canceled");
        }
    }

    private Payin Open(string id)
    {
        var payin = payins.GetValueOrDefault(id) ?? throw new SimulatorException(404, "404001", "Pay-in not found");
        return payin.Status == "CREATED" ? payin : throw new SimulatorException(409, "409002", $"The pay-in is {payin.Status}");
    }

    private Payin Update(Payin payin, string callbackType)
    {
        var updated = payin with { UpdatedAt = Later(payin.UpdatedAt) };
        payins[payin.Id] = updated;
        callbacks.Enqueue(callbackType, updated);
        return updated;
    }

    // ---- payouts ----

    public Payout CreatePayout(CreatePayoutRequest request)
    {
        if (request.Amount <= 0 || string.IsNullOrWhiteSpace(request.Notes) || string.IsNullOrWhiteSpace(request.AirtmUserEmail))
        {
            throw new SimulatorException(400, "400002", "Invalid payout request");
        }

        lock (gate)
        {
            if (request.Code is not null && payouts.Values.Any(p => p.Code == request.Code))
            {
                throw new SimulatorException(409, "409003", "A payout with this code already exists");
            }

            var recipient = users.GetValueOrDefault(request.AirtmUserEmail);
            if (recipient is not { Status: "active" })
            {
                throw new SimulatorException(422, "422001", "The recipient is not an active Airtm user");
            }

            var now = clock.GetUtcNow();
            var payout = new Payout(Guid.NewGuid().ToString(), request.Code ?? Guid.NewGuid().ToString("N"), recipient.Id, recipient.Email, "CREATED",
                request.Amount, request.Amount, request.Amount, 0m, request.EnterpriseFee ?? 0m, null, null, null, now, now);
            payouts[payout.Id] = payout;
            callbacks.Enqueue("payout.created", payout);
            return request.Commit ? CommitLocked(payout.Id) : payout;
        }
    }

    public Payout? GetPayout(string id)
    {
        lock (gate)
        {
            return payouts.GetValueOrDefault(id);
        }
    }

    public Payout? FindPayoutByCode(string code)
    {
        lock (gate)
        {
            return payouts.Values.FirstOrDefault(p => p.Code == code);
        }
    }

    public void CommitPayout(string id)
    {
        lock (gate)
        {
            CommitLocked(id);
        }
    }

    public Payout CancelPayout(string id)
    {
        lock (gate)
        {
            var payout = payouts.GetValueOrDefault(id) ?? throw new SimulatorException(404, "404002", "Payout not found");
            return payout.Status == "CREATED"
                ? SetPayout(payout, "CANCELED", null, "payout.canceled")
                : throw new SimulatorException(409, "409004", $"The payout is {payout.Status}");
        }
    }

    /// <summary>A test moves a payout (PENDING_USER_ACTION, PENDING, COMPLETED, FAILED). Only
    /// completed, failed and canceled are announced by callback, as Airtm's webhook types are.</summary>
    public Payout SetPayoutStatus(string id, string status, string? reasonCode)
    {
        lock (gate)
        {
            var payout = payouts.GetValueOrDefault(id) ?? throw new SimulatorException(404, "404002", "Payout not found");
            if (status == "FAILED" && payout.Status is not ("FAILED" or "COMPLETED"))
            {
                operatorBalanceCents += AirtmMoney.ToCents(payout.GrossAmount);
            }

            return SetPayout(payout, status, reasonCode, status switch
            {
                "COMPLETED" => "payout.completed",
                "FAILED" => "payout.failed",
                "CANCELED" => "payout.canceled",
                _ => null,
            });
        }
    }

    private Payout CommitLocked(string id)
    {
        var payout = payouts.GetValueOrDefault(id) ?? throw new SimulatorException(404, "404002", "Payout not found");
        if (payout.Status != "CREATED")
        {
            throw new SimulatorException(409, "409005", $"The payout is {payout.Status}");
        }

        var cents = AirtmMoney.ToCents(payout.GrossAmount);
        if (cents > operatorBalanceCents)
        {
            return SetPayout(payout, "FAILED", "INSUFFICIENT_BALANCE", "payout.failed");
        }

        operatorBalanceCents -= cents;
        payout = SetPayout(payout, "PENDING", null, null);
        return commitOutcome switch
        {
            OutcomeCompleted => SetPayout(payout, "COMPLETED", null, "payout.completed"),
            "failed" => SetPayoutStatusAfterCommit(payout),
            "pending_user_action" => SetPayout(payout, "PENDING_USER_ACTION", "KYC_REQUIRED", null),
            _ => payout,
        };
    }

    private Payout SetPayoutStatusAfterCommit(Payout payout)
    {
        operatorBalanceCents += AirtmMoney.ToCents(payout.GrossAmount);
        return SetPayout(payout, "FAILED", "RECIPIENT_REJECTED", "payout.failed");
    }

    private Payout SetPayout(Payout payout, string status, string? reasonCode, string? callbackType)
    {
        var updated = payout with
        {
            Status = status,
            ReasonCode = reasonCode ?? payout.ReasonCode,
            ReasonDescription = reasonCode is null ? payout.ReasonDescription : $"Simulated: {reasonCode}",
            UpdatedAt = Later(payout.UpdatedAt),
        };
        payouts[payout.Id] = updated;
        if (callbackType is not null)
        {
            callbacks.Enqueue(callbackType, updated);
        }

        return updated;
    }

    // Each change is strictly later than the one before, even when the clock stands still in tests,
    // so that the orchestrator can tell an old report from a new one.
    private DateTimeOffset Later(DateTimeOffset previous)
    {
        var now = clock.GetUtcNow();
        return now > previous ? now : previous.AddMilliseconds(1);
    }
}
