using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FuncSessions.Admin;
using FuncSessions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Tests.Admin;

public sealed class AdminKeyGateTests
{
    private const string OpsKey = "ops-key-0123456789abcdefghijklmnopqrstuv";
    private const string CiKey = "ci-key-0123456789abcdefghijklmnopqrstuvwx";

    private static AdminKeyGate Gate(params (string Name, string Key)[] keys) =>
        new(Options.Create(new AdminOptions { Keys = keys.ToDictionary(k => k.Name, k => k.Key) }));

    private static HttpRequest Request(string? key)
    {
        var context = new DefaultHttpContext();
        if (key is not null)
        {
            context.Request.Headers[AdminKeyGate.HeaderName] = key;
        }

        return context.Request;
    }

    [Fact]
    public void A_configured_key_is_valid_and_named_any_other_is_not()
    {
        var gate = Gate(("ops", OpsKey), ("ci", CiKey));

        Assert.Equal((AdminKeyCheck.Valid, "ci"), gate.Check(Request(CiKey)));
        Assert.Equal((AdminKeyCheck.Valid, "ops"), gate.Check(Request(OpsKey)));
        Assert.Equal((AdminKeyCheck.Invalid, null), gate.Check(Request(OpsKey + "x")));
        Assert.Equal((AdminKeyCheck.Invalid, null), gate.Check(Request(OpsKey[..^1])));
        Assert.Equal((AdminKeyCheck.Missing, null), gate.Check(Request(null)));
        Assert.Equal((AdminKeyCheck.NotConfigured, null), Gate().Check(Request(OpsKey)));
    }

    [Theory]
    [InlineData("ops", "short", "FuncSessions:Admin:Keys:ops must be at least 32 characters")]
    [InlineData("bad name", OpsKey, "the key name 'bad name' must be 1 to 64")]
    public void Options_refuse_short_keys_and_odd_names_naming_the_setting(string name, string key, string message)
    {
        var options = new AdminOptions { Keys = new() { [name] = key } };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage!.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Options_refuse_one_key_under_two_names()
    {
        var options = new AdminOptions { Keys = new() { ["a"] = OpsKey, ["b"] = OpsKey } };

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }

    [Fact]
    public void On_the_Functions_app_the_audit_names_the_hosts_key_id_claim_else_function_key()
    {
        var context = new DefaultHttpContext();
        Assert.Equal("function-key", AdminEndpoints.FunctionsHostKeyName(context));

        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(AdminEndpoints.FunctionsKeyIdClaim, "default")], "WebJobsAuthLevel"));
        Assert.Equal("default", AdminEndpoints.FunctionsHostKeyName(context));
    }
}
