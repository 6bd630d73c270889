using Fido2NetLib;

namespace FuncSessions.Passkeys;

/// <summary>fido2-net-lib's settings from ours: the RP id and the exact page origins it must see in client data.</summary>
public static class PasskeyFido2Configuration
{
    public static Fido2Configuration From(PasskeyOptions options) => new()
    {
        RPID = options.RelyingPartyId,
        RPName = options.RelyingPartyName,
        Origins = new HashSet<string>(options.OriginList, StringComparer.Ordinal),
    };
}
