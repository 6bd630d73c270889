using System.Net;
using FuncSessions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FuncSessions.Tests.Throttling;

public sealed class ClientAddressTests
{
    private readonly ClientAddress _address = new(Options.Create(new HttpOptions { ForwardedForHeader = "X-Forwarded-For", ForwardedForHops = 1 }));

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("10.0.0.1, 203.0.113.9:51234", "203.0.113.9")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("unknown", "192.0.2.1")]
    [InlineData("203.0.113.9, _hidden", "192.0.2.1")]
    [InlineData("not an address", "192.0.2.1")]
    public void TheTrustedEntry_OrTheConnectionsAddress_WhenThatEntryIsNoAddress(string header, string expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.1");
        context.Request.Headers["X-Forwarded-For"] = header;

        Assert.Equal(expected, _address.Of(context));
    }
}
