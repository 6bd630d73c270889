using System.Security.Cryptography;
using OtpNet;
using QRCoder;

namespace FuncSessions.SecondFactors;

/// <summary>RFC 6238 codes: SHA-1, 6 digits, 30-second steps (what every authenticator app reads), ±1 step accepted.</summary>
public sealed class TotpCodes(TimeProvider time)
{
    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    /// <summary>160 random bits, the length RFC 4226 recommends for HMAC-SHA-1.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(20);

    /// <summary>The time step the code belongs to, or null when it is not a code of this secret within the window.</summary>
    public long? MatchingStep(byte[] secret, string code)
    {
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(secret);
        return totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out var step, Window) ? step : null;
    }

    /// <summary>The <c>otpauth://</c> URI authenticator apps scan (Key Uri Format).</summary>
    public static string Uri(string issuer, string account, byte[] secret) =>
        new OtpUri(OtpType.Totp, secret, account, issuer).ToString();

    /// <summary>The URI as a QR code, a PNG data URL the sample page can show as an image.</summary>
    public static string QrCodeDataUrl(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }
}
