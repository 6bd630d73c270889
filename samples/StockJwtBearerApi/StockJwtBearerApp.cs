using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace StockJwtBearerApi;

/// <summary>
/// An API protected by ASP.NET Core's own JwtBearer handler and nothing else: <c>Authority</c> is the FuncSessions issuer
/// (e.g. <c>https://auth.example.com/api</c>), from whose <c>.well-known/openid-configuration</c> the handler learns the
/// issuer and the signing keys. Settings: <c>Jwt:Authority</c>, <c>Jwt:Audience</c>, <c>Jwt:RequireHttpsMetadata</c>.
/// </summary>
public static class StockJwtBearerApp
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.Authority = builder.Configuration["Jwt:Authority"];
            o.Audience = builder.Configuration["Jwt:Audience"];
            // Note: only for an http://localhost issuer in development; metadata must come over HTTPS anywhere else.
            o.RequireHttpsMetadata = builder.Configuration.GetValue("Jwt:RequireHttpsMetadata", true);
            // Note: keep the token's own claim names (sub, sid) instead of the WS-* URIs the handler maps them to.
            o.MapInboundClaims = false;
        });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (HttpContext context) => Results.Json(new
        {
            sub = context.User.FindFirst("sub")?.Value,
            sid = context.User.FindFirst("sid")?.Value,
        })).RequireAuthorization();
        return app;
    }
}
