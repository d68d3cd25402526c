using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OfferHub.Lite.Tests.Support;

/// <summary>How the tests talk to the API: raw JSON in, JsonElement out, the way a client would.</summary>
public static class Http
{
    public static HttpRequestMessage Json(HttpMethod method, string path, object? body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body);
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, object? body, string? idempotencyKey = null) =>
        client.SendAsync(Json(HttpMethod.Post, path, body, idempotencyKey));

    /// <summary>POST with a fresh Idempotency-Key, as a well-behaved client sends a new operation.</summary>
    public static Task<HttpResponseMessage> PostNewAsync(this HttpClient client, string path, object? body) =>
        client.PostAsync(path, body, Guid.NewGuid().ToString());

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts a success status and returns the body.</summary>
    public static async Task<JsonElement> OkAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the error envelope of errors.md with this status and code; returns error.details.</summary>
    public static async Task<JsonElement> ErrorAsync(this HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status} {code}, got {(int)response.StatusCode}: {text}");
        var error = AssertEnvelope(response, text);
        Assert.Equal(code, error.GetProperty("code").GetString());
        return error.GetProperty("details");
    }

    /// <summary>Checks the envelope's shape and that its request_id matches the header.</summary>
    public static JsonElement AssertEnvelope(HttpResponseMessage response, string text)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("code").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.Object, error.GetProperty("details").ValueKind);
        Assert.Equal(response.Headers.GetValues("X-Request-ID").Single(), error.GetProperty("request_id").GetString());
        return error.Clone();
    }

    public static async Task EnsureNoContentAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"expected 204, got {(int)response.StatusCode}: {text}");
    }

    public static string Str(this JsonElement element, string property) =>
        element.GetProperty(property).GetString() ?? throw new InvalidOperationException($"{property} is null");

    public static StringContent RawContent(string body, string mediaType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }
}
