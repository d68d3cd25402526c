using OfferHub.Lite.Infrastructure.Errors;

namespace OfferHub.Lite.Infrastructure.StateMachines;

public sealed record Transition(string From, string Action, string To);

/// <summary>A state machine held as data: the transition table is the only thing that says
/// which moves are allowed, and <see cref="Next"/> is the one place that checks it.</summary>
public sealed class StateMachine(string resource, IReadOnlyList<Transition> transitions)
{
    public IReadOnlyList<Transition> Transitions { get; } = transitions;

    public string Resource { get; } = resource;

    public bool Allows(string current, string action) => Transitions.Any(t => t.From == current && t.Action == action);

    /// <summary>The state <paramref name="action"/> leads to from <paramref name="current"/>, or
    /// 409 INVALID_STATE naming the states from which the action is allowed.</summary>
    public string Next(string resourceId, string current, string action) =>
        Transitions.FirstOrDefault(t => t.From == current && t.Action == action)?.To
        ?? throw Invalid(resourceId, current, action);

    public ApiException Invalid(string resourceId, string current, string action) =>
        new(409, ApiErrors.InvalidState, $"Cannot {action.Replace('_', ' ')} a {Resource} in state {current}", new Dictionary<string, object?>
        {
            ["resource_id"] = resourceId,
            ["current_state"] = current,
            ["allowed_states"] = Transitions.Where(t => t.Action == action).Select(t => t.From).Distinct().ToList(),
        });
}
