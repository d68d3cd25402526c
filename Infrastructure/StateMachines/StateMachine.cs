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

    /// <summary>The shortest run of transitions from <paramref name="current"/> to
    /// <paramref name="target"/>, empty when already there, null when the target cannot be reached
    /// (a provider status older than what we hold, or a move the table forbids). This is how a
    /// provider status that skipped a step ("paid" while we still await confirmation) passes through
    /// the states in between.</summary>
    public IReadOnlyList<Transition>? PathTo(string current, string target)
    {
        var cameFrom = new Dictionary<string, Transition> { [current] = null! };
        var frontier = new Queue<string>([current]);
        while (frontier.Count > 0)
        {
            var state = frontier.Dequeue();
            if (state == target)
            {
                var path = new List<Transition>();
                for (var step = state; step != current; step = cameFrom[step].From)
                {
                    path.Add(cameFrom[step]);
                }

                path.Reverse();
                return path;
            }

            foreach (var next in Transitions.Where(t => t.From == state && !cameFrom.ContainsKey(t.To)))
            {
                cameFrom[next.To] = next;
                frontier.Enqueue(next.To);
            }
        }

        return null;
    }

    public ApiException Invalid(string resourceId, string current, string action) =>
        new(409, ApiErrors.InvalidState, $"Cannot {action.Replace('_', ' ')} while the {Resource} is in state {current}", new Dictionary<string, object?>
        {
            ["resource_id"] = resourceId,
            ["current_state"] = current,
            ["allowed_states"] = Transitions.Where(t => t.Action == action).Select(t => t.From).Distinct().ToList(),
        });
}
