using System.Linq.Expressions;
using FluentValidation;
using OfferHub.Lite.Infrastructure.Money;
using OfferHub.Lite.Infrastructure.Pipeline;

namespace OfferHub.Lite.Features.Escrow;

/// <summary>What release and refund requests share: FULL or PARTIAL; a PARTIAL one names the
/// milestone (Trustless Work moves money per milestone) and may repeat its amount.</summary>
public sealed class EscrowActionRules<T>(
    Expression<Func<T, string?>> mode,
    Expression<Func<T, AmountText?>> amount,
    Expression<Func<T, string?>> milestoneRef,
    Expression<Func<T, string?>> reason,
    string action)
{
    public void Apply(AbstractValidator<T> validator)
    {
        var readMode = mode.Compile();
        validator.RuleFor(mode).NotEmpty().MustBeOneOf("FULL", "PARTIAL");
        validator.RuleFor(amount).MustBeAmount().When(c => amount.Compile()(c) is not null);
        validator.RuleFor(milestoneRef).NotEmpty().When(c => readMode(c) == "PARTIAL")
            .WithMessage($"a partial {action} names the milestone_ref whose amount it moves");
        validator.RuleFor(milestoneRef).Null().When(c => readMode(c) == "FULL").WithMessage($"a FULL {action} takes no milestone_ref");
        validator.RuleFor(amount).Null().When(c => readMode(c) == "FULL").WithMessage($"a FULL {action} takes no amount");
        validator.RuleFor(reason).MustBePlainText(500);
    }
}
