using Dapper;
using FluentValidation;
using OfferHub.Lite.Features;
using OfferHub.Lite.Features.Escrow;
using OfferHub.Lite.Features.Escrow.ResumeOperations;
using OfferHub.Lite.Features.Events.StreamEvents;
using OfferHub.Lite.Features.Maintenance;
using OfferHub.Lite.Features.Operations;
using OfferHub.Lite.Features.Orders;
using OfferHub.Lite.Features.SimulatedProviders;
using OfferHub.Lite.Features.Topups;
using OfferHub.Lite.Features.WebhookEndpoints.DeliverWebhooks;
using OfferHub.Lite.Features.Withdrawals;
using OfferHub.Lite.Host.Observability;
using OfferHub.Lite.Infrastructure.Audit;
using OfferHub.Lite.Infrastructure.Auth;
using OfferHub.Lite.Infrastructure.Configuration;
using OfferHub.Lite.Infrastructure.Database;
using OfferHub.Lite.Infrastructure.Events;
using OfferHub.Lite.Infrastructure.Http;
using OfferHub.Lite.Infrastructure.Idempotency;
using OfferHub.Lite.Infrastructure.Jobs;
using OfferHub.Lite.Infrastructure.Ledger;
using OfferHub.Lite.Infrastructure.Observability;
using OfferHub.Lite.Infrastructure.OpenApi;
using OfferHub.Lite.Infrastructure.Pipeline;
using OfferHub.Lite.Infrastructure.Primitives;
using OfferHub.Lite.Infrastructure.Providers.Airtm;
using OfferHub.Lite.Infrastructure.Providers.TrustlessWork;
using OfferHub.Lite.Infrastructure.RateLimiting;
using OfferHub.Lite.Infrastructure.StateMachines;
using OfferHub.Lite.Infrastructure.Webhooks;
using Quartz;
using Scalar.AspNetCore;

namespace OfferHub.Lite.Host;

/// <summary>Composition root: what Program.cs and the CLI call. The one place that knows both
/// the slices and the mechanisms, and wires the first into the second.</summary>
public static class ServiceRegistration
{
    /// <summary>Below Docker's 10 s grace before it kills the process.</summary>
    public const int ShutdownSeconds = 8;

    public static WebApplicationBuilder AddOfferHub(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddOfferHubSettings();
        // A failed start is told in one line by Program.cs; the host's own record of it is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // SIGTERM: streams are ended at once (EventRoutes), other requests and jobs get this long.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(ShutdownSeconds));
        // api.md's default address, unless ASPNETCORE_URLS / --urls / launchSettings say otherwise.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://localhost:4000");
        }

        builder.AddOfferHubTelemetry();

        var services = builder.Services;
        // Options are read when first resolved (right after Build), so that hosts which add
        // configuration late, such as the test host, are honoured too.
        services.AddSingleton(sp => OptionsSetup.Load(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton(sp => Microsoft.Extensions.Options.Options.Create(sp.GetRequiredService<OfferHubOptions>()));
        services.AddOfferHubCore();
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<OfferHubOptions>((kestrel, options) => kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddHostedService(sp => sp.GetRequiredService<EventBus>());
        services.AddHostedService(sp => sp.GetRequiredService<EventSequencer>());
        services.AddHostedService(sp => sp.GetRequiredService<EventTail>());
        services.AddSimulatedProviders();
        // Outbound webhooks never follow redirects (the URL was checked, its target was not).
        services.AddTransient<WebhookDeliverySpans>();
        services.AddHttpClient(DeliverWebhooks.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler<WebhookDeliverySpans>()
            .RemoveAllLoggers();
        services.AddHostedService<DeliveryLoop>();
        services.AddHostedService<ResumeOperations>();
        QuartzStore.Add(builder);
        services.AddHostedService<JobSchedule>();
        services.AddHostedService<ProcessLiveness>();
        services.AddQuartzHostedService(quartz => quartz.WaitForJobsToComplete = true);
        services.AddApiDocument();
        return builder;
    }

    /// <summary>Everything but HTTP: shared by the server and the CLI.</summary>
    public static IServiceCollection AddOfferHubCore(this IServiceCollection services)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) =>
            member is null ? expression?.ToString() : System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = ValidatorOptions.Global.PropertyNameResolver;

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => DatabaseSettings.From(sp.GetRequiredService<OfferHubOptions>()));
        services.AddSingleton<Database>();
        services.AddSingleton<Migrator>();
        services.AddScoped<Db>();
        services.AddScoped<RequestContext>();
        services.AddScoped<ApiKeyAuthenticator>();
        services.AddScoped<AuditLog>();
        services.AddScoped<WebhookAnomalies>();
        services.AddScoped<Outbox>();
        services.AddSingleton<EventBus>();
        services.AddSingleton<EventSequencer>();
        services.AddSingleton<StreamEvents.Slots>();
        services.AddSingleton<EventTail>();
        services.AddScoped<IdempotencyStore>();
        services.AddScoped<IdempotentExecution>();
        services.AddScoped<Ledger>();
        services.AddScoped<LedgerVerifier>();
        services.AddScoped<OrderTransitions>();
        services.AddScoped<StateChanges>();
        services.AddScoped<WebhookInbox>();
        services.AddSingleton<ProviderReports>();
        services.AddSingleton<RateLimitCounters>();
        services.AddScoped<TopupProgress>();
        services.AddScoped<WithdrawalProgress>();
        services.AddScoped<EscrowOperationRunner>();
        services.AddScoped<SignatureLifecycle>();
        services.AddScoped<EscrowProviderSteps>();
        services.AddScoped<EscrowEffects>();
        services.AddSingleton(new JobCatalog(BackgroundJobs.All));
        services.AddProviderClients();
        services.AddValidatorsFromAssemblyContaining<OfferHubOptions>(ServiceLifetime.Singleton);
        services.AddMediator((Mediator.MediatorOptions mediator) =>
        {
            mediator.ServiceLifetime = ServiceLifetime.Scoped;
            mediator.PipelineBehaviors =
            [
                typeof(UnitOfWorkBehavior<,>),
                typeof(AuditBehavior<,>),
                typeof(ValidationBehavior<,>),
            ];
            mediator.StreamPipelineBehaviors = [typeof(StreamValidationBehavior<,>)];
        });
        return services;
    }

    /// <summary>The provider clients, which the CLI needs too (reconcile): Airtm, Trustless Work
    /// behind its rate-limit queue, the external signer. The framework's request logging is off for
    /// them (it logs URLs, and Airtm's user lookup carries an e-mail address); ProviderHttp logs
    /// the operation and status instead.</summary>
    private static IServiceCollection AddProviderClients(this IServiceCollection services)
    {
        services.AddHttpClient<AirtmClient>((sp, http) =>
        {
            var airtm = sp.GetRequiredService<OfferHubOptions>().Airtm;
            http.BaseAddress = new Uri(airtm.BaseUrl!.TrimEnd('/') + "/");
            // The clients apply their own deadline so that a timeout can be told from a caller giving up.
            http.Timeout = Timeout.InfiniteTimeSpan;
            http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{airtm.ApiKey}:{airtm.ApiSecret}")));
        }).RemoveAllLoggers();
        services.AddSingleton<TrustlessRateLimit>();
        services.AddHttpClient<TrustlessClient>((sp, http) =>
        {
            var trustless = sp.GetRequiredService<OfferHubOptions>().Trustless;
            http.BaseAddress = new Uri(trustless.ApiUrl!.TrimEnd('/') + "/");
            http.Timeout = Timeout.InfiniteTimeSpan;
            http.DefaultRequestHeaders.Add("x-api-key", trustless.ApiKey);
        }).RemoveAllLoggers();
        services.AddHttpClient(EscrowProviderSteps.SignerClientName, http => http.Timeout = TimeSpan.FromSeconds(15)).RemoveAllLoggers();
        return services;
    }

    public static async Task UseOfferHubAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<OfferHubOptions>();
        if (options.MigrateOnStart)
        {
            await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        }

        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<EventStreamMeter>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Response.ContentLength is null or 0 && string.IsNullOrEmpty(http.Response.ContentType))
            {
                await ErrorResponses.WriteAsync(http, ErrorResponses.ForBareStatus(http.Response.StatusCode));
            }
        });
        app.UseMiddleware<BodyBufferingMiddleware>();
        app.UseRouting();
        app.UseMiddleware<AuthMiddleware>();
        app.UseMiddleware<ApiKeyRateLimitMiddleware>();
        app.UseMiddleware<MaintenanceGate>();
        app.UseMiddleware<InputTextMiddleware>();

        // A browser opening the server's address lands on the API reference.
        app.MapGet("/", () => Results.Redirect("/docs")).WithMetadata(AuthRequirement.None).ExcludeFromDescription();
        app.MapOpenApi("/openapi/{documentName}.json").WithMetadata(AuthRequirement.None);
        app.MapScalarApiReference("/docs", scalar => scalar.WithTitle("OfferHub.Lite API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapFeatureRoutes();
        app.MapOfferHubProbes();
        app.MapOfferHubMetrics();
        app.MapSimulatedProviders(options);
    }
}
