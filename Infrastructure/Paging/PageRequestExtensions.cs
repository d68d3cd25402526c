namespace OfferHub.Lite.Infrastructure.Paging;

/// <summary>A list query's paging parameters, already checked by its validator.</summary>
public interface IPagedQuery
{
    string? Limit { get; }

    string? Cursor { get; }
}

public static class PageRequestExtensions
{
    public static PageRequest Page(this IPagedQuery query) =>
        new(query.Limit is null ? PageRequest.DefaultLimit : int.Parse(query.Limit), query.Cursor);
}
