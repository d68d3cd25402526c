using OfferHub.Lite.Features.Disputes;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Features.Topups;
using OfferHub.Lite.Features.Users;
using OfferHub.Lite.Features.Withdrawals;
using OfferHub.Lite.Infrastructure.OpenApi;

namespace OfferHub.Lite.Features;

/// <summary>The value sets and id prefixes of the resources' fields, for the OpenAPI document,
/// taken from the state machines and value lists the slices themselves check against.</summary>
public sealed class ApiSchemaValues : IDescribeApiSchemas
{
    private static readonly string[] Parties = ["buyer", "seller"];
    private static readonly string[] Modes = ["FULL", "PARTIAL"];

    public void Describe(ApiSchemaFacts facts)
    {
        foreach (var field in new[] { "user_id", "buyer_id", "seller_id" })
        {
            facts.IdFields[field] = "usr";
        }

        facts.IdFields["order_id"] = "ord";
        facts.IdFields["dispute_id"] = "dsp";
        facts.IdFields["escrow_id"] = "esc";
        facts.IdFields["comment_id"] = "cmt";
        facts.IdFields["event_id"] = "evt";
        facts.IdFields["endpoint_id"] = "whe";

        facts.ResourceIds["UserResponse"] = "usr";
        facts.ResourceIds["OrderResponse"] = "ord";
        facts.ResourceIds["TopupResponse"] = "topup";
        facts.ResourceIds["WithdrawalResponse"] = "wd";
        facts.ResourceIds["DisputeResponse"] = "dsp";
        facts.ResourceIds["ListDisputeCommentsCommentResponse"] = "cmt";
        facts.ResourceIds["EventResponse"] = "evt";
        facts.ResourceIds["SignatureResponse"] = "sig";
        facts.ResourceIds["DeliveryResponse"] = "whd";
        facts.ResourceIds["WebhookEndpointResponse"] = "whe";
        facts.ResourceIds["ApiKeySummary"] = "key";
        facts.ResourceIds["CreateApiKeyResult"] = "key";
        facts.ResourceIds["MintTokenResult"] = "key";
        facts.ResourceIds["ListAuditLogsEntry"] = "aud";

        facts.SignedAmounts.Add("GetLedgerEntry");
        facts.Required["CreateOrderMilestoneInput"] = ["milestone_ref", "amount"];
        facts.Required["CreateWithdrawalDestinationInput"] = ["type"];

        facts.Enum("OrderResponse", "status", OrderStates.All);
        facts.Enum("OrderResponse", "resolution", OrderStates.Resolutions);
        facts.Enum("TopupResponse", "status", TopupStates.All);
        facts.Enum("WithdrawalResponse", "status", WithdrawalStates.All);
        facts.Enum("DisputeResponse", "status", DisputeStates.All);
        facts.Enum("DisputeResolution", "decision", DisputeStates.Decisions);
        facts.Enum("SignatureResponse", "status", SignatureStates.All);
        facts.Enum("EscrowResponse", "status", EscrowStates.Machine);
        facts.Enum("EscrowSummary", "status", EscrowStates.Machine);
        facts.Enum("UserResponse", "type", UserValues.Types);
        facts.Enum("UserResponse", "status", UserValues.Statuses);
        facts.Enum("CreateUserCommand", "type", UserValues.Types);
        facts.Enum("OpenDisputeBody", "opened_by", Parties);
        facts.Enum("CompleteMilestoneBody", "completed_by", Parties);
        facts.Enum("ReleaseFundsBody", "mode", Modes);
        facts.Enum("RefundFundsBody", "mode", Modes);
        facts.Enum("ResolveDisputeBody", "decision", DisputeStates.Decisions);
        facts.Enum("GetHealthResult", "status", ["healthy", "degraded", "unhealthy"]);
    }
}
