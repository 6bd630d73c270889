using FuncSessions.Validation;
using Microsoft.AspNetCore.Http;

namespace FuncSessions.Validation.Tests;

public sealed class FuncSessionsTokenReaderTests
{
    [Theory]
    [InlineData("Bearer abc.def.ghi", null, "abc.def.ghi")]
    [InlineData("bearer  abc.def.ghi ", null, "abc.def.ghi")]
    [InlineData("Bearer abc", "__Host-fs-at=cookie", "abc")]
    [InlineData(null, "a=1; __Host-fs-at=from.cookie.value; b=2", "from.cookie.value")]
    [InlineData("Basic dXNlcjpwYXNz", "__Host-fs-at=from.cookie", "from.cookie")]
    [InlineData("Bearer ", null, null)]
    [InlineData(null, "fs-at=not.ours; __Host-fs-rt=refresh", null)]
    [InlineData(null, null, null)]
    public void Read_PrefersTheBearerHeader_ThenTheAccessTokenCookie(string? authorization, string? cookie, string? expected)
    {
        Assert.Equal(expected, FuncSessionsTokenReader.Read(authorization, cookie));

        var context = new DefaultHttpContext();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        if (cookie is not null)
        {
            context.Request.Headers.Cookie = cookie;
        }

        Assert.Equal(expected, FuncSessionsTokenReader.Read(context.Request));
    }
}
