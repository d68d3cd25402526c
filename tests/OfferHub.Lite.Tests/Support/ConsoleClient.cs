using System.Net;
using System.Text.RegularExpressions;

namespace OfferHub.Lite.Tests.Support;

/// <summary>The operators' console through HTTP like a browser without script: cookies, the
/// sign-in form's token, and each session form's token read from the page.</summary>
public sealed partial class ConsoleClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    [GeneratedRegex("name=\"form_token\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex("name=\"signin_token\" value=\"([^\"]+)\"")]
    private static partial Regex SignInToken();

    [GeneratedRegex("name=\"idempotency_key\" value=\"([^\"]+)\"")]
    private static partial Regex IdempotencyKey();

    public static async Task<ConsoleClient> SignedInAsync(TestApp app, string key)
    {
        var console = new ConsoleClient(app.Client());
        var response = await console.SignInAsync(key);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return console;
    }

    public async Task<HttpResponseMessage> SignInAsync(string key)
    {
        var page = await (await Http.GetAsync("/console/sign-in")).Content.ReadAsStringAsync();
        return await Http.PostAsync("/console/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["signin_token"] = SignInToken().Match(page).Groups[1].Value,
            ["api_key"] = key,
            ["next"] = "/console",
        }));
    }

    /// <summary>The page's form token and (if it has one) its first idempotency key.</summary>
    public async Task<(string FormToken, string? IdempotencyKey)> TokensAsync(string page)
    {
        var response = await Http.GetAsync(page);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {page}: {(int)response.StatusCode} {html}");
        var key = IdempotencyKey().Match(html);
        return (FormToken().Match(html).Groups[1].Value, key.Success ? key.Groups[1].Value : null);
    }

    /// <summary>Posts a console form as the page would, with the session's form token unless given.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, string action, Dictionary<string, string> fields)
    {
        if (!fields.ContainsKey("form_token"))
        {
            var (formToken, _) = await TokensAsync(page);
            fields["form_token"] = formToken;
        }

        return await Http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>A console error: the given 4xx, an HTML page, the message in the error banner, no stack trace.</summary>
    public static async Task<string> AssertInPageErrorAsync(HttpResponseMessage response, int status, string words)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {html}");
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("class=\"banner error\"", html, StringComparison.Ordinal);
        Assert.Contains(words, html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", html, StringComparison.Ordinal);
        return html;
    }
}
