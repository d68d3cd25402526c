namespace OfferHub.Lite.Tests.Support;

/// <summary>Base for money tests: after every test, the ledger invariant must hold on every
/// database the test class used.</summary>
public abstract class BooksBalanced(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    protected AppFixture Fixture { get; } = fixture;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Fixture.AssertBooksBalancedAsync();
}
