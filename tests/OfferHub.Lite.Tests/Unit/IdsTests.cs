using OfferHub.Lite.Infrastructure.Primitives;

namespace OfferHub.Lite.Tests.Unit;

public sealed class IdsTests
{
    [Fact]
    public void Ids_are_prefixed_url_safe_and_sort_in_creation_order()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => Ids.New("ord")).ToList();
        Assert.All(ids, id => Assert.Matches("^ord_[0-9a-z]{26}$", id));
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(Ids.HasShape(ids[0], "ord"));
        Assert.False(Ids.HasShape(ids[0], "usr"));
        Assert.False(Ids.HasShape("ord_" + new string('i', 26), "ord"));
    }
}
