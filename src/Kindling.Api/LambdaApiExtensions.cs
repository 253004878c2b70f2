using Kindling.Api.Authentication;
using Kindling.Api.Endpoints;
using Kindling.Api.Hosting;
using Kindling.Functions.Errors;
using Kindling.Functions.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Kindling.Api;

/// <summary>Registers and maps Lambda's REST API.</summary>
public static class LambdaApiExtensions
{
    /// <summary>Adds SigV4 verification and the code download locations.</summary>
    public static IServiceCollection AddLambdaApi(this IServiceCollection services, string region, string baseUrl, IEnumerable<AccessKey> keys)
    {
        services.AddSingleton(sp => new CredentialStore(keys, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ICredentialStore>(sp => sp.GetRequiredService<CredentialStore>());
        services.AddSingleton<Kindling.Invocation.Environments.IExecutionRoleCredentials>(sp => sp.GetRequiredService<CredentialStore>());
        services.AddSingleton(sp => new SigV4Verifier(sp.GetRequiredService<ICredentialStore>(), sp.GetRequiredService<TimeProvider>(), region));
        services.AddSingleton(sp => new CodeLocations(baseUrl, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ICodeLocations>(sp => sp.GetRequiredService<CodeLocations>());
        return services;
    }

    /// <summary>Maps every operation; anything else is an UnknownOperationException.</summary>
    public static WebApplication MapLambdaApi(this WebApplication app)
    {
        app.UseMiddleware<LambdaApiMiddleware>();
        FunctionEndpoints.Map(app);
        InvokeEndpoints.Map(app);
        LayerEndpoints.Map(app);
        ConfigurationEndpoints.Map(app);
        CodeEndpoints.Map(app);
        app.MapFallback(context => throw new LambdaException(System.Net.HttpStatusCode.NotFound, "UnknownOperationException",
            $"No operation matches {context.Request.Method} {context.Request.Path}."));
        return app;
    }
}
