using FluentValidation;
using OfferHub.Lite.Infrastructure.Auth;

namespace OfferHub.Lite.Features.ApiKeys;

/// <summary>Scope lists as clients send them: grantable names, each once.</summary>
public static class ScopeList
{
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> MustBeScopeList<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(scopes => scopes is null || (scopes.All(s => Scopes.Grantable.Contains(s)) && scopes.Distinct().Count() == scopes.Count))
            .WithMessage($"must list distinct scopes from: {string.Join(", ", Scopes.Grantable)}");

    /// <summary>Stored and returned in one canonical order.</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> scopes) =>
        Scopes.Grantable.Where(scopes.Contains).ToList();
}
