using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FuncSessions.Http;
using FuncSessions.IntegrationTests.Infrastructure;
using FuncSessions.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncSessions.IntegrationTests.Cases;

/// <summary>
/// Cases 1–11 and 13 (research/session-anchors.md §7): hostile access tokens sent to <c>validate</c> over HTTP.
/// Every forged token starts from one the server accepts (<see cref="Baseline_ForgedTokenWithNothingBroken_IsAccepted"/>)
/// so each refusal is caused by the one thing the case breaks.
/// </summary>
public sealed class TokenCases(AzuriteFixture fixture) : ApiTest(fixture)
{
    private const string Issuer = "https://funcsessions.test/api";
    private const string Audience = "funcsessions-api";

    [Fact]
    public async Task Baseline_ForgedTokenWithNothingBroken_IsAccepted()
    {
        var (forge, _) = await LiveSessionAsync();

        await AssertAcceptedAsync(forge.Sign(forge.Header(), forge.Payload(Now)));
    }

    [Fact]
    public async Task Case01_AlgNoneWithoutSignature_Returns401_WithoutReadingClaims()
    {
        var (forge, _) = await LiveSessionAsync();
        var header = forge.Header();
        header["alg"] = "none";

        await AssertRejectedWithoutStorageAsync(ForgedTokens.Create(header, forge.Payload(Now), sign: null));
        header["alg"] = "None";
        await AssertRejectedWithoutStorageAsync(ForgedTokens.Create(header, forge.Payload(Now), sign: null));
        // Note: a valid signature left on an alg:none header must not rescue it either.
        var signed = forge.Sign(forge.Header(), forge.Payload(Now)).Split('.');
        await AssertRejectedWithoutStorageAsync($"{ForgedTokens.Part(header)}.{signed[1]}.{signed[2]}");
    }

    [Fact]
    public async Task Case02_Hs256SignedWithThePublicKeyBytes_Returns401()
    {
        var (forge, _) = await LiveSessionAsync();
        var header = forge.Header();
        header["alg"] = "HS256";
        var jwks = await JwksJsonAsync();
        var publicKeyCandidates = new[]
        {
            forge.PublicKeyBytes(),
            System.Text.Encoding.UTF8.GetBytes(jwks),
            Base64Url.DecodeFromChars((string)JsonNode.Parse(jwks)!["keys"]![0]!["x"]!),
        };

        foreach (var secret in publicKeyCandidates)
        {
            await AssertRejectedWithoutStorageAsync(ForgedTokens.Create(header, forge.Payload(Now), data => HMACSHA256.HashData(secret, data)));
        }
    }

    [Fact]
    public async Task Case03_CorrectlySignedWithAnAlgorithmOutsideTheAllowlist_Returns401()
    {
        var (forge, _) = await LiveSessionAsync();
        using var rsa = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var rs256 = forge.Header();
        rs256["alg"] = "RS256";
        var ps256 = forge.Header();
        ps256["alg"] = "PS256";
        var es384 = forge.Header();
        es384["alg"] = "ES384";

        await AssertRejectedWithoutStorageAsync(ForgedTokens.Create(rs256, forge.Payload(Now), d => rsa.SignData(d, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
        await AssertRejectedWithoutStorageAsync(ForgedTokens.Create(ps256, forge.Payload(Now), d => rsa.SignData(d, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)));
        await AssertRejectedWithoutStorageAsync(ForgedTokens.Create(es384, forge.Payload(Now), d => p384.SignData(d, HashAlgorithmName.SHA384)));
        // Note: the server's own key under another ES name is still outside the allowlist.
        await AssertRejectedWithoutStorageAsync(forge.Sign(es384, forge.Payload(Now)));
    }

    [Fact]
    public async Task Case04_JkuX5uAndEmbeddedJwkHeaders_AreIgnored_NoOutboundRequest_AttackerKeyRefused()
    {
        var (forge, _) = await LiveSessionAsync();
        using var attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var attackerServer = await ConnectionCounter.StartAsync();
        var attackerJwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(attackerKey) { KeyId = forge.KeyId });
        var embedded = new Dictionary<string, object?>
        {
            ["kty"] = attackerJwk.Kty, ["crv"] = attackerJwk.Crv, ["x"] = attackerJwk.X, ["y"] = attackerJwk.Y, ["kid"] = forge.KeyId,
        };
        var headers = new[]
        {
            ("jku", (object)$"{attackerServer.Url}jwks.json"),
            ("x5u", $"{attackerServer.Url}cert.pem"),
            ("jwk", embedded),
        };

        foreach (var (name, value) in headers)
        {
            foreach (var kid in new[] { forge.KeyId, "attacker-key" })
            {
                var header = forge.Header();
                header["kid"] = kid;
                header[name] = value;
                await AssertRejectedWithoutStorageAsync(ForgedTokens.Create(header, forge.Payload(Now), d => attackerKey.SignData(d, HashAlgorithmName.SHA256)));
            }

            // Note: "ignored" both ways: the header neither adds a key nor invalidates a token our key signed.
            var genuine = forge.Header();
            genuine[name] = value;
            await AssertAcceptedAsync(forge.Sign(genuine, forge.Payload(Now)));
        }

        Assert.Equal(0, attackerServer.Connections);
    }

    [Fact]
    public async Task Case05_UnknownOrMissingKid_Returns401_WithoutTryingOtherKeys()
    {
        var (forge, _) = await LiveSessionAsync();
        var unknown = forge.Header();
        unknown["kid"] = "some-other-key";
        var missing = forge.Header();
        missing.Remove("kid");

        // Note: signed with the real key, so only a "try every key" fallback could accept them.
        await AssertRejectedWithoutStorageAsync(forge.Sign(unknown, forge.Payload(Now)));
        await AssertRejectedWithoutStorageAsync(forge.Sign(missing, forge.Payload(Now)));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("' OR 1=1 --")]
    [InlineData("/dev/null")]
    [InlineData("http://127.0.0.1/jwks")]
    public async Task Case06_KidWithPathTraversalOrInjection_Returns401(string kid)
    {
        var (forge, _) = await LiveSessionAsync();
        var header = forge.Header();
        header["kid"] = kid;

        await AssertRejectedWithoutStorageAsync(forge.Sign(header, forge.Payload(Now)));
    }

    [Fact]
    public async Task Case07_ExpiredBeyondTheThirtySecondLeeway_Returns401_WithinItReturns200()
    {
        var (forge, _) = await LiveSessionAsync();

        await AssertAcceptedAsync(forge.Sign(forge.Header(), Expiring(forge, Now - TimeSpan.FromSeconds(10))));
        await AssertAcceptedAsync(forge.Sign(forge.Header(), Expiring(forge, Now - TimeSpan.FromSeconds(30))));
        await AssertRejectedAsync(forge.Sign(forge.Header(), Expiring(forge, Now - TimeSpan.FromSeconds(31))));
        // Note: well inside .NET's default 5-minute skew, so this proves the leeway is set explicitly.
        await AssertRejectedAsync(forge.Sign(forge.Header(), Expiring(forge, Now - TimeSpan.FromMinutes(4))));
    }

    [Fact]
    public async Task Case08_NbfOrIatBeyondTheLeewayInTheFuture_Returns401()
    {
        var (forge, _) = await LiveSessionAsync();

        foreach (var claim in new[] { "nbf", "iat" })
        {
            var near = forge.Payload(Now);
            near[claim] = (Now + TimeSpan.FromSeconds(20)).ToUnixTimeSeconds();
            await AssertAcceptedAsync(forge.Sign(forge.Header(), near));

            var far = forge.Payload(Now);
            far[claim] = (Now + TimeSpan.FromSeconds(31)).ToUnixTimeSeconds();
            await AssertRejectedAsync(forge.Sign(forge.Header(), far));
        }
    }

    [Fact]
    public async Task Case09_WrongAudienceOrIssuer_Returns401()
    {
        var (forge, _) = await LiveSessionAsync();
        var changes = new (string Claim, object? Value)[]
        {
            ("aud", "another-api"),
            ("aud", new[] { "another-api", "yet-another" }),
            ("aud", null),
            ("iss", "https://evil.test/api"),
            ("iss", Issuer + "/"),
            ("iss", null),
        };

        foreach (var (claim, value) in changes)
        {
            var payload = forge.Payload(Now);
            if (value is null)
            {
                payload.Remove(claim);
            }
            else
            {
                payload[claim] = value;
            }

            await AssertRejectedWithoutStorageAsync(forge.Sign(forge.Header(), payload));
        }
    }

    [Fact]
    public async Task Case10_RefreshTokenOrAnyNonAtJwtSentAsAccessToken_Returns401()
    {
        var (forge, client) = await LiveSessionAsync();
        var refreshToken = client.Cookies[TokenDelivery.RefreshTokenCookie];

        await AssertRejectedWithoutStorageAsync(refreshToken);
        foreach (var typ in new object?[] { "JWT", "jwt", "id_token+jwt", "application/at+jwt+x", null })
        {
            var header = forge.Header();
            if (typ is null)
            {
                header.Remove("typ");
            }
            else
            {
                header["typ"] = typ;
            }

            await AssertRejectedWithoutStorageAsync(forge.Sign(header, forge.Payload(Now)));
        }
    }

    [Fact]
    public async Task Case11_PayloadTamperedWithSignatureKept_Returns401()
    {
        var (_, victim) = await LiveSessionAsync();
        var (attackerForge, attacker) = await LiveSessionAsync();
        var genuine = attacker.Cookies[TokenDelivery.AccessTokenCookie].Split('.');
        await AssertAcceptedAsync(string.Join('.', genuine));
        var victimClaims = await ValidateAsync(victim.Cookies[TokenDelivery.AccessTokenCookie]);

        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(genuine[1]))!.AsObject();
        payload["sub"] = (string?)victimClaims["userId"];
        payload["sid"] = (string?)victimClaims["sessionId"];
        await AssertRejectedWithoutStorageAsync($"{genuine[0]}.{ForgedTokens.Part(payload)}.{genuine[2]}");

        var extended = JsonNode.Parse(Base64Url.DecodeFromChars(genuine[1]))!.AsObject();
        extended["exp"] = (long)extended["exp"]! + 86_400;
        await AssertRejectedWithoutStorageAsync($"{genuine[0]}.{ForgedTokens.Part(extended)}.{genuine[2]}");

        Assert.Equal(attackerForge.KeyId, JsonNode.Parse(Base64Url.DecodeFromChars(genuine[0]))!["kid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Case13_ValidateAfterLogout_Returns401AtOnce_WhileOfflineVerifiersAcceptOnlyUntilExp()
    {
        var (_, client) = await LiveSessionAsync();
        var accessToken = client.Cookies[TokenDelivery.AccessTokenCookie];
        var keys = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await JwksJsonAsync()).Keys;

        using (var logout = await client.PostAsync("/api/auth/logout"))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await AssertRejectedAsync(accessToken);

        // Note: an offline verifier (another API with only the JWKS) still sees a valid signature; what bounds its
        // exposure is the token's lifetime, at most the configured 10 minutes from issue.
        var offline = await new JsonWebTokenHandler().ValidateTokenAsync(accessToken, new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidTypes = [AccessTokenIssuer.TokenType],
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidateLifetime = false,
        });
        Assert.True(offline.IsValid, offline.Exception?.Message);
        var jwt = (JsonWebToken)offline.SecurityToken;
        Assert.True(jwt.ValidTo - jwt.IssuedAt <= TimeSpan.FromMinutes(10));
        Assert.True(jwt.ValidTo <= Now.UtcDateTime + TimeSpan.FromMinutes(10));
    }

    private DateTimeOffset Now => Server.Time.GetUtcNow();

    private static Dictionary<string, object?> Expiring(ForgedTokens forge, DateTimeOffset exp)
    {
        var payload = forge.Payload(exp - TimeSpan.FromMinutes(10));
        payload["exp"] = exp.ToUnixTimeSeconds();
        return payload;
    }

    private async Task<(ForgedTokens Forge, ApiClient Client)> LiveSessionAsync()
    {
        var (client, _, login) = await SignedInClientAsync();
        var forge = new ForgedTokens(Server.Services.GetRequiredService<SigningKeyRing>(), Issuer, Audience,
            (string)login["userId"]!, (string)login["sessionId"]!);
        return (forge, client);
    }

    private async Task<string> JwksJsonAsync()
    {
        using var client = Server.CreateClient();
        using var response = await client.GetAsync("/api/auth/jwks");
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<JsonObject> ValidateAsync(string token)
    {
        using var client = Server.CreateClient();
        client.BearerToken = token;
        using var response = await client.GetAsync("/api/auth/validate");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private async Task AssertAcceptedAsync(string token) => await ValidateAsync(token);

    private async Task AssertRejectedAsync(string token)
    {
        using var client = Server.CreateClient();
        client.BearerToken = token;
        using var response = await client.GetAsync("/api/auth/validate");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    /// <summary>Refused before any storage read: the claims of a token that failed verification are never used.</summary>
    private async Task AssertRejectedWithoutStorageAsync(string token)
    {
        var before = Server.StorageCalls;
        await AssertRejectedAsync(token);
        Assert.Equal(before, Server.StorageCalls);
    }

    /// <summary>A loopback TCP server that only counts connections: the attacker's key host.</summary>
    private sealed class ConnectionCounter : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _accepting;
        private int _connections;

        private ConnectionCounter(TcpListener listener)
        {
            _listener = listener;
            _accepting = AcceptAsync();
        }

        public int Connections => Volatile.Read(ref _connections);

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";

        public static Task<ConnectionCounter> StartAsync()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new ConnectionCounter(listener));
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _accepting;
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    using var socket = await _listener.AcceptSocketAsync();
                    Interlocked.Increment(ref _connections);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Note: the listener was stopped.
            }
        }
    }
}
