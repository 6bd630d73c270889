using FuncSessions.Http;
using Microsoft.AspNetCore.Http;

namespace FuncSessions.Tests.Http;

/// <summary>The hand-read cookie gives what ASP.NET Core's <c>Request.Cookies</c> gives, for the headers browsers send.</summary>
public sealed class RequestCookiesTests
{
    private const string Name = "__Host-fs-at";

    [Theory]
    [InlineData("__Host-fs-at=abc.def_-", "abc.def_-")]
    [InlineData("__Host-fs-rt=r1.secret; __Host-fs-at=abc; __Host-fs-present=1", "abc")]
    [InlineData("a=1;__Host-fs-at=abc;b=2", "abc")]
    [InlineData("a=1;   __Host-fs-at=abc  ; b=2", "abc")]
    [InlineData("__Host-fs-at=\"abc\"", "\"abc\"")]
    [InlineData("__Host-fs-at=", null)]
    [InlineData("x__Host-fs-at=abc; __Host-fs-at-2=def", null)]
    [InlineData("", null)]
    [InlineData("just text", null)]
    public void Get_AgreesWithRequestCookies(string header, string? expected)
    {
        var request = Request(header);

        Assert.Equal(expected, RequestCookies.Get(request, Name));
        Assert.Equal(request.Cookies[Name], RequestCookies.Get(request, Name));
        Assert.Equal(request.Cookies.ContainsKey(Name), RequestCookies.Has(request, Name));
        Assert.Equal(expected ?? "", RequestCookies.Find(request, Name).ToString());
    }

    // Note: where RFC 6265 and ASP.NET Core differ, the RFC: a lower-case look-alike is another cookie (one a sibling
    // subdomain may set), and of two pairs of one name the browser's first is the one it means.
    [Theory]
    [InlineData("__host-fs-at=tossed", null)]
    [InlineData("__host-fs-at=tossed; __Host-fs-at=abc", "abc")]
    [InlineData("__Host-fs-at=first; __Host-fs-at=second", "first")]
    public void Get_MatchesNamesCaseSensitively_AndTakesTheFirstPair(string header, string? expected)
    {
        Assert.Equal(expected, RequestCookies.Get(Request(header), Name));
    }

    [Fact]
    public void Get_ReadsEveryCookieHeader_AsHttp2SendsThemSplit()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = new(["__Host-fs-rt=r1", "__Host-fs-at=abc"]);

        Assert.Equal("abc", RequestCookies.Get(context.Request, Name));
        Assert.True(RequestCookies.Has(context.Request, "__Host-fs-rt"));
        Assert.False(RequestCookies.Has(context.Request, "__Host-fs-present"));
    }

    private static HttpRequest Request(string cookieHeader)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = cookieHeader;
        return context.Request;
    }
}
