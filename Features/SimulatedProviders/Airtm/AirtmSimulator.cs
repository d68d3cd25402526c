using System.Text.RegularExpressions;
using OfferHub.Lite.Infrastructure.Providers.Airtm;

namespace OfferHub.Lite.Features.SimulatedProviders.Airtm;

/// <summary>The built-in Airtm: its own users, pay-ins, payouts and enterprise balance, in memory
/// (a simulator's state does not survive a restart, like a fresh sandbox). It refuses what Airtm's
/// OpenAPI document (1.87.0) says Airtm refuses, with its reason codes, and answers its shapes.
/// Every change that Airtm would announce is queued as a Svix callback. Tests steer it through the
/// _control endpoints.</summary>
public sealed partial class AirtmSimulator(AirtmCallbacks callbacks, TimeProvider clock)
{
    public const string OutcomeCompleted = "completed";

    /// <summary>The simulated fee rate, in basis points, that Airtm keeps of a pay-in (charged to the
    /// enterprise) and of a payout (withheld from the recipient). Airtm's real rates are per contract.</summary>
    public const long FeeBasisPoints = 100;

    private readonly Lock gate = new();
    private readonly Dictionary<string, SimUser> users = Seed();
    private readonly List<Payin> payins = [];
    private readonly List<Payout> payouts = [];
    private readonly string enterpriseId = Guid.NewGuid().ToString();
    private long enterpriseBalanceCents = 1_000_000_00;
    private string commitOutcome = OutcomeCompleted;

    /// <summary>A simulated Airtm account. "pending" is an e-mail a payout was sent to before its
    /// owner signed up: Airtm holds such payouts as PENDING until the account exists.</summary>
    public sealed record SimUser(string Id, string Email, string Status, string FirstName);

    public sealed class SimulatorException(int status, string code, string message, IReadOnlyDictionary<string, object?>? data = null) : Exception(message)
    {
        public int Status { get; } = status;

        public string Code { get; } = code;

        public IReadOnlyDictionary<string, object?>? Details { get; } = data;
    }

    private static Dictionary<string, SimUser> Seed() => new[]
    {
        new SimUser(Guid.NewGuid().ToString(), "buyer@sim.airtm", "active", "Bea"),
        new SimUser(Guid.NewGuid().ToString(), "seller@sim.airtm", "active", "Sol"),
        new SimUser(Guid.NewGuid().ToString(), "inactive@sim.airtm", "inactive", "Ian"),
    }.ToDictionary(u => u.Email, StringComparer.OrdinalIgnoreCase);

    public long EnterpriseBalanceCents
    {
        get
        {
            lock (gate)
            {
                return enterpriseBalanceCents;
            }
        }
    }

    /// <summary>GET /me/balance: committed payouts still pending are taken from the operator's
    /// balance at commit, and Airtm reports them as pending (part of the balance) until they end.</summary>
    public AirtmBalance Balance()
    {
        lock (gate)
        {
            var pending = payouts.Where(p => p.Status is not ("CREATED" or "COMPLETED" or "FAILED" or "CANCELED")).Sum(p => AirtmMoney.ToCents(p.Amount));
            return new AirtmBalance(AirtmMoney.ToUsd(enterpriseBalanceCents), AirtmMoney.ToUsd(pending));
        }
    }

    public AirtmMe Me() => new(enterpriseId, 90, false);

    /// <summary>Adds (or signs up) an Airtm account. Payouts held PENDING for that e-mail are then delivered.</summary>
    public SimUser AddUser(string email, string status)
    {
        lock (gate)
        {
            var id = users.TryGetValue(email, out var known) ? known.Id : Guid.NewGuid().ToString();
            var user = new SimUser(id, email, status, email.Split('@')[0]);
            users[email] = user;
            if (status == "active")
            {
                foreach (var waiting in payouts.Where(p => p.Status == "PENDING" && string.Equals(p.AirtmUserEmail, email, StringComparison.OrdinalIgnoreCase)).ToList())
                {
                    SetPayout(waiting, "COMPLETED", null, "payout.completed");
                }
            }

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

    /// <summary>GET /users/{email}: only accounts that exist (an e-mail waiting for a payout is not one yet).</summary>
    public AirtmUser? FindUser(string email)
    {
        lock (gate)
        {
            return users.TryGetValue(email, out var u) && u.Status != "pending"
                ? new AirtmUser(u.Id, u.Status, true, true, u.FirstName, "Simulated", "USA")
                : null;
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
        Require(!string.IsNullOrWhiteSpace(request.Code), "code", "code is required");
        RequireAmount(request.Amount, "amount");
        Require(!string.IsNullOrWhiteSpace(request.Description), "description", "description is required");
        Require(request.Description.Length <= AirtmClient.DescriptionMaxLength, "description", $"description exceeds {AirtmClient.DescriptionMaxLength} characters");
        Require(request.Items is { Count: > 0 }, "items", "at least one item is required");
        foreach (var item in request.Items)
        {
            Require(!string.IsNullOrWhiteSpace(item.Description), "items.description", "item description is required");
            RequireAmount(item.Amount, "items.amount");
            Require(item.Quantity >= 1, "items.quantity", "item quantity must be at least 1");
        }

        Require(request.Items.Sum(i => i.Amount * i.Quantity) == request.Amount, "amount", "amount must equal the sum of the items");
        Require(IsUrl(request.ConfirmationUri), "confirmationUri", "confirmationUri must be a URL");
        Require(IsUrl(request.CancelUri), "cancelUri", "cancelUri must be a URL");

        lock (gate)
        {
            if (payins.Any(p => p.Code == request.Code))
            {
                throw new SimulatorException(409, AirtmReasonCodes.PayinCodeExists, "Payin code already exists", new Dictionary<string, object?> { ["code"] = request.Code });
            }

            var now = clock.GetUtcNow();
            var id = Guid.NewGuid().ToString();
            var cents = AirtmMoney.ToCents(request.Amount);
            var fee = Fee(cents);
            var payin = new Payin(id, request.Code, "CREATED", request.Amount, AirtmMoney.ToUsd(cents - fee), AirtmMoney.ToUsd(fee), request.Description,
                [.. request.Items.Select(i => new PayinItem(Guid.NewGuid().ToString(), id, i.Description, i.Amount, i.Quantity))],
                now, now, request.ConfirmationUri, request.CancelUri, Hash: Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()));
            payins.Add(payin);
            callbacks.Enqueue("payin.created", payin);
            return payin;
        }
    }

    public Payin? GetPayin(string id)
    {
        lock (gate)
        {
            return payins.Find(p => p.Id == id);
        }
    }

    public Payin? FindPayinByCode(string code)
    {
        lock (gate)
        {
            return payins.Find(p => p.Code == code);
        }
    }

    public AirtmPage<Payin> ListPayins(PageRequest page)
    {
        lock (gate)
        {
            return Paginate(payins, p => p.Id, p => page.Status is null || AirtmStatuses.Is(p.Status, page.Status), page);
        }
    }

    /// <summary>The payer confirms: the pay-in is paid; the enterprise receives its net amount.</summary>
    public Payin ConfirmPayin(string id, string payerEmail)
    {
        lock (gate)
        {
            var payin = Open(id);
            var payer = users.GetValueOrDefault(payerEmail);
            if (payer is not { Status: "active" })
            {
                throw new SimulatorException(422, "415009", "Recipient address inactive");
            }

            enterpriseBalanceCents += AirtmMoney.ToCents(payin.NetAmount);
            return Update(payin with { Status = "CONFIRMED", AirtmUserId = payer.Id, AirtmUserEmail = payer.Email }, "payin.confirmed");
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
        var payin = payins.Find(p => p.Id == id) ?? throw new SimulatorException(404, AirtmReasonCodes.PayinNotFound, "Payin not found");
        return payin.Status == "CREATED" ? payin : throw new SimulatorException(409, AirtmReasonCodes.PayinNotCancellable, "Cannot confirm or cancel payin",
            new Dictionary<string, object?> { ["status"] = payin.Status });
    }

    private Payin Update(Payin payin, string callbackType)
    {
        var updated = payin with { UpdatedAt = Later(payin.UpdatedAt) };
        payins[payins.FindIndex(p => p.Id == payin.Id)] = updated;
        callbacks.Enqueue(callbackType, updated);
        return updated;
    }

    // ---- payouts ----

    /// <summary>POST /payouts. An e-mail with no Airtm account is accepted (Airtm holds the payout as
    /// PENDING until its owner signs up); an inactive account is refused.</summary>
    public Payout CreatePayout(CreatePayoutRequest request)
    {
        Require(EmailPattern().IsMatch(request.AirtmUserEmail), "airtmUserEmail", "airtmUserEmail must be an e-mail address");
        RequireAmount(request.Amount, "amount");
        Require(!string.IsNullOrWhiteSpace(request.Notes), "notes", "notes is required");
        Require(request.Notes.Length <= AirtmClient.NotesMaxLength, "notes", $"notes exceeds {AirtmClient.NotesMaxLength} characters");
        var enterpriseFee = request.EnterpriseFee ?? 0m;
        Require(enterpriseFee >= 0 && enterpriseFee < request.Amount && decimal.Round(enterpriseFee, 2) == enterpriseFee, "enterpriseFee", "enterpriseFee must be below the amount");

        lock (gate)
        {
            if (request.Code is not null && payouts.Any(p => p.Code == request.Code))
            {
                throw new SimulatorException(409, AirtmReasonCodes.PayoutCodeExists, "Payout code already exists", new Dictionary<string, object?> { ["code"] = request.Code });
            }

            var email = request.AirtmUserEmail.Trim();
            if (!users.TryGetValue(email, out var recipient))
            {
                recipient = new SimUser(Guid.NewGuid().ToString(), email, "pending", email.Split('@')[0]);
                users[email] = recipient;
            }
            else if (recipient.Status == "inactive")
            {
                throw new SimulatorException(422, AirtmReasonCodes.RecipientInactive, "Recipient address inactive");
            }

            var now = clock.GetUtcNow();
            var deducted = AirtmMoney.ToCents(request.Amount - enterpriseFee);
            var airtmFee = Fee(deducted);
            var payout = new Payout(Guid.NewGuid().ToString(), recipient.Id, recipient.Email, "CREATED",
                request.Amount, AirtmMoney.ToUsd(deducted), AirtmMoney.ToUsd(deducted - airtmFee), now, now,
                Code: request.Code ?? Guid.NewGuid().ToString("N"), Hash: Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
                RequireIdVerified: request.RequireIdVerified ?? false, Notes: request.Notes, InternalNote: request.InternalNote,
                AirtmFee: AirtmMoney.ToUsd(airtmFee), EnterpriseFee: enterpriseFee);
            if (request.Commit == true && deducted > enterpriseBalanceCents)
            {
                throw InsufficientBalance();
            }

            payouts.Add(payout);
            callbacks.Enqueue("payout.created", payout);
            return request.Commit == true ? CommitLocked(payout.Id) : payout;
        }
    }

    public Payout? GetPayout(string id)
    {
        lock (gate)
        {
            return payouts.Find(p => p.Id == id);
        }
    }

    public Payout? FindPayoutByCode(string code)
    {
        lock (gate)
        {
            return payouts.Find(p => p.Code == code);
        }
    }

    public AirtmPage<Payout> ListPayouts(PageRequest page)
    {
        lock (gate)
        {
            return Paginate(payouts, p => p.Id, p => page.Status is null || AirtmStatuses.Is(p.Status, page.Status), page);
        }
    }

    public void CommitPayout(string id)
    {
        lock (gate)
        {
            CommitLocked(id);
        }
    }

    /// <summary>DELETE /payouts/{id}: CREATED and PENDING payouts only; a PENDING one's funds return.</summary>
    public Payout CancelPayout(string id)
    {
        lock (gate)
        {
            var payout = FindOrThrow(id);
            if (payout.Status is not ("CREATED" or "PENDING"))
            {
                throw new SimulatorException(409, AirtmReasonCodes.PayoutNotCancellable, "Cannot cancel non-pending payout", new Dictionary<string, object?> { ["status"] = payout.Status });
            }

            if (payout.Status == "PENDING")
            {
                enterpriseBalanceCents += AirtmMoney.ToCents(payout.Amount);
            }

            return SetPayout(payout, "CANCELED", null, "payout.canceled");
        }
    }

    /// <summary>A test moves a payout (PENDING_USER_ACTION, PENDING, COMPLETED, FAILED, CANCELED).
    /// Only the document's webhook types are announced: completed, failed and canceled.</summary>
    public Payout SetPayoutStatus(string id, string status, string? reasonCode)
    {
        lock (gate)
        {
            var payout = FindOrThrow(id);
            if (status is "FAILED" or "CANCELED" && payout.Status is not ("FAILED" or "COMPLETED" or "CANCELED" or "CREATED"))
            {
                enterpriseBalanceCents += AirtmMoney.ToCents(payout.Amount);
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

    private Payout FindOrThrow(string id) =>
        payouts.Find(p => p.Id == id) ?? throw new SimulatorException(404, AirtmReasonCodes.PayoutNotFound, "Payout not found");

    private Payout CommitLocked(string id)
    {
        var payout = FindOrThrow(id);
        if (payout.Status != "CREATED")
        {
            throw new SimulatorException(409, AirtmReasonCodes.PayoutAlreadyProcessed, "Payout already processed", new Dictionary<string, object?> { ["status"] = payout.Status });
        }

        var cents = AirtmMoney.ToCents(payout.Amount);
        if (cents > enterpriseBalanceCents)
        {
            throw InsufficientBalance();
        }

        enterpriseBalanceCents -= cents;
        payout = SetPayout(payout, "COMMITTED", null, null);
        if (users.GetValueOrDefault(payout.AirtmUserEmail) is { Status: "pending" })
        {
            // No Airtm account yet: the funds wait in escrow until the recipient signs up.
            return SetPayout(payout, "PENDING", null, null);
        }

        return commitOutcome switch
        {
            OutcomeCompleted => SetPayout(payout, "COMPLETED", null, "payout.completed"),
            "failed" => FailAfterCommit(payout),
            "pending_user_action" => SetPayout(payout, "PENDING_USER_ACTION", "KYC_REQUIRED", null),
            _ => SetPayout(payout, "PENDING", null, null),
        };
    }

    private static SimulatorException InsufficientBalance() => new(422, AirtmReasonCodes.InsufficientBalance, "Insufficient balance for payout");

    private Payout FailAfterCommit(Payout payout)
    {
        enterpriseBalanceCents += AirtmMoney.ToCents(payout.Amount);
        return SetPayout(payout, "FAILED", "415073", "payout.failed");
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
        payouts[payouts.FindIndex(p => p.Id == payout.Id)] = updated;
        if (callbackType is not null)
        {
            callbacks.Enqueue(callbackType, updated);
        }

        return updated;
    }

    // ---- shared ----

    /// <summary>The list parameters of the document: before/after (cursors: an item's id), perPage
    /// (10–1000, default 100), status.</summary>
    public sealed record PageRequest(string? Before, string? After, int PerPage, string? Status);

    /// <summary>Newest first; startCursor/endCursor are the first and last item's ids.</summary>
    private static AirtmPage<T> Paginate<T>(List<T> all, Func<T, string> id, Func<T, bool> filter, PageRequest page)
    {
        var ordered = Enumerable.Reverse(all).Where(filter).ToList();
        IEnumerable<T> window = ordered;
        if (page.After is { } after)
        {
            var at = ordered.FindIndex(x => id(x) == after);
            window = at < 0 ? [] : ordered.Skip(at + 1);
        }
        else if (page.Before is { } before)
        {
            var at = ordered.FindIndex(x => id(x) == before);
            window = at < 0 ? [] : ordered.Take(at).TakeLast(page.PerPage);
        }

        var items = window.Take(page.PerPage).ToList();
        return items.Count == 0 ? new AirtmPage<T>(items) : new AirtmPage<T>(items, id(items[0]), id(items[^1]));
    }

    private static long Fee(long cents) => cents * FeeBasisPoints / 10_000;

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new SimulatorException(400, AirtmReasonCodes.InvalidRequest, message, new Dictionary<string, object?> { ["field"] = field });
        }
    }

    // Minimum 0.01, at most two decimals (the document's amount rules).
    private static void RequireAmount(decimal amount, string field) =>
        Require(amount >= 0.01m && decimal.Round(amount, 2) == amount, field, $"{field} must be at least 0.01 with at most two decimals");

    private static bool IsUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    // Each change is strictly later than the one before, even when the clock stands still in tests,
    // so that the orchestrator can tell an old report from a new one.
    private DateTimeOffset Later(DateTimeOffset previous)
    {
        var now = clock.GetUtcNow();
        return now > previous ? now : previous.AddMilliseconds(1);
    }

    /// <summary>The document's Email schema.</summary>
    [GeneratedRegex("^(.+)@(.+)$")]
    private static partial Regex EmailPattern();
}
