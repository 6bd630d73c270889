using System.Security.Claims;
using System.Text.Json;
using FuncSessions.Validation;

namespace ProtectedApi;

/// <summary>
/// Another API of the same site, protected by FuncSessions access tokens it verifies offline. Settings come from
/// appsettings.json (section <c>FuncSessions</c>: Authority, Issuer, Audience, StrictMode, StrictModeCacheDuration).
/// </summary>
public static class ProtectedApiApp
{
    public const string DefaultUrl = "http://localhost:7072";

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // The one registration a protected API needs:
        builder.Services.AddAuthentication().AddFuncSessionsBearer(o => builder.Configuration.GetSection("FuncSessions").Bind(o));
        builder.Services.AddAuthorization();

        // Note: the sample page on the auth app's origin calls this API with credentials (the __Host-fs-at cookie).
        var origins = builder.Configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        builder.Services.AddCors(o => o.AddDefaultPolicy(policy =>
            policy.WithOrigins(origins).AllowCredentials().WithMethods("GET").WithHeaders("Authorization")));

        var app = builder.Build();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/api/protected/whoami", WhoAmI).RequireAuthorization();
        return app;
    }

    private static WhoAmIResponse WhoAmI(ClaimsPrincipal user)
    {
        var identity = user.GetFuncSessionsIdentity()!;
        return new WhoAmIResponse(identity.UserId, identity.SessionId, identity.Data);
    }
}

public sealed record WhoAmIResponse(string UserId, string SessionId, IReadOnlyDictionary<string, JsonElement> Data);
