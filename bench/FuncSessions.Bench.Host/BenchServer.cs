using System.Globalization;
using System.Text;
using FuncSessions.Host;
using FuncSessions.Http;
using FuncSessions.Passwords;
using FuncSessions.Sessions;
using FuncSessions.Storage;
using FuncSessions.Throttling;
using FuncSessions.Tokens;
using FuncSessions.Users;

namespace FuncSessions.Bench;

/// <summary>
/// The self-host exactly as <c>Program</c> builds it, plus bench-only endpoints under <c>/bench</c> (never in the
/// product): storage-call counter reads and ready-made sessions so wrk needs no login per token; and, measured like
/// the API, <c>POST /password-check</c>: the bare password verification login performs, to subtract the hash from
/// login's CPU under the same load.
/// With <c>--store memory</c> the session and user stores are the in-process ones.
/// </summary>
public static class BenchServer
{
    public const string UsernamePrefix = "bench";

    public static string Password(int user) => string.Create(CultureInfo.InvariantCulture, $"bench password number {user:D2}");

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = SelfHost.CreateBuilder(args);
        if (builder.Configuration["store"] == "memory")
        {
            builder.Services.AddSingleton<ISessionStore, InProcessSessionStore>();
            builder.Services.AddSingleton<IUserStore, InProcessUserStore>();
            builder.Services.AddSingleton<IThrottleStore, InProcessThrottleStore>();
        }

        var userCount = int.Parse(builder.Configuration["users"] ?? "8", CultureInfo.InvariantCulture);
        await using var app = SelfHost.Build(builder);
        var users = new List<UserAccount>();
        app.CountServedRequests();

        app.MapGet("/bench/ready", () => users.Count == userCount ? Results.Ok() : Results.StatusCode(503));
        app.MapGet("/bench/storage-calls", (StorageCallCounter counter) => counter.Count.ToString(CultureInfo.InvariantCulture));
        app.MapGet("/bench/allocated-bytes", () => GC.GetTotalAllocatedBytes(precise: true).ToString(CultureInfo.InvariantCulture));
        app.MapPost("/bench/sessions", async (int count, SessionIssuer issuer, CancellationToken ct) =>
        {
            // One line per session: access token, refresh token, user id, session id.
            var lines = new StringBuilder();
            for (var i = 0; i < count; i++)
            {
                var issued = (await issuer.IssueAsync(users[i % users.Count], ClientInfo.Create("wrk", "127.0.0.1"), ct))!;
                lines.Append(CultureInfo.InvariantCulture,
                    $"{issued.AccessToken.Value} {issued.RefreshToken.Value} {issued.Session.UserId} {issued.Session.SessionId}\n");
            }

            return Results.Text(lines.ToString());
        });
        // Refresh's CPU-bound parts, each timed alone in a loop (process CPU per operation, the server otherwise idle): the
        // ES256 signature of the new access token, and the new refresh token with its seal and hashes.
        app.MapPost("/bench/refresh-parts", async (int count, SessionIssuer issuer, AccessTokenIssuer accessTokens, CancellationToken ct) =>
        {
            var issued = (await issuer.IssueAsync(users[0], ClientInfo.Create("wrk", "127.0.0.1"), ct))!;
            var (session, token) = (issued.Session, issued.RefreshToken);
            var sign = ProcessCpu.PerOperation(count, () => accessTokens.Issue(session));
            var seal = ProcessCpu.PerOperation(count, () =>
            {
                var successor = RefreshToken.Create(session.UserId, session.SessionId);
                _ = (token.Hash, successor.Hash, token.Seal(successor));
            });
            return Results.Text(string.Create(CultureInfo.InvariantCulture, $"sign_us={sign:F1} seal_us={seal:F1}"));
        });
        app.MapPost("/password-check", (PasswordHasher hasher) =>
            hasher.Verify(Password(0), users[0].PasswordHash) == PasswordVerification.Succeeded ? Results.Ok() : Results.StatusCode(500));

        // Login's own steps minus the password hash, through the product's services: read the JSON body, the user and
        // its throttle counter (two point reads, in parallel, as UserAccounts does), issue the session (row + index
        // entry, ES256 access token), deliver the tokens. Its CPU per request is login's overhead beyond the hash,
        // measured directly at a rate where the hash cannot drown it.
        app.MapPost("/login-without-hash", async (
            HttpContext context, JsonRequestReader reader, IUserStore store, AccountThrottle throttle, SessionIssuer issuer, TokenDelivery tokens) =>
        {
            var (body, problem) = await reader.ReadAsync(context, FuncSessionsJsonContext.Default.CredentialsRequest);
            if (problem is not null)
            {
                return problem;
            }

            if (Usernames.Clean(body!.Username) is not { } cleaned)
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            var normalized = Usernames.Normalize(cleaned);
            var attemptTask = throttle.BeginAsync(normalized, context.RequestAborted);
            var userTask = store.FindByNormalizedUsernameAsync(normalized, context.RequestAborted);
            await Task.WhenAll(attemptTask, userTask);
            if (await userTask is not { } user)
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            await (await attemptTask).SucceededAsync(context.RequestAborted);
            var client = ClientInfo.Create(context.Request.Headers.UserAgent.ToString(), context.Connection.RemoteIpAddress?.ToString());
            var issued = (await issuer.IssueAsync(user, client, context.RequestAborted))!;
            return TypedResults.Json(tokens.Deliver(context.Response, issued), FuncSessionsJsonContext.Default.SessionResponse);
        });

        await app.StartAsync();
        var accounts = app.Services.GetRequiredService<UserAccounts>();
        for (var i = 0; i < userCount; i++)
        {
            var (outcome, user) = await accounts.RegisterAsync(UsernamePrefix + i.ToString(CultureInfo.InvariantCulture), Password(i), CancellationToken.None);
            users.Add(outcome == RegistrationOutcome.Created ? user! : throw new InvalidOperationException($"Could not create bench user {i}: {outcome}."));
        }

        await app.WaitForShutdownAsync();
        return 0;
    }
}
