namespace OfferHub.Lite.Infrastructure.Paging;

/// <summary>limit (default 20, 1..100) and cursor (the last id of the previous page).</summary>
public sealed record PageRequest(int Limit, string? Cursor)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>Asks for one row more than the page, to know whether another page follows.</summary>
    public int Fetch => Limit + 1;
}

public sealed record Page<T>(IReadOnlyList<T> Data, PageInfo Pagination);

public static class Pages
{
    /// <summary>Builds the page from rows fetched with <see cref="PageRequest.Fetch"/>.</summary>
    public static Page<T> From<T>(IReadOnlyList<T> rows, PageRequest request, Func<T, string> idOf)
    {
        var hasMore = rows.Count > request.Limit;
        var data = hasMore ? rows.Take(request.Limit).ToList() : rows;
        return new Page<T>(data, new PageInfo(hasMore, hasMore ? idOf(data[^1]) : null));
    }
}

public sealed record PageInfo(bool HasMore, string? NextCursor);
