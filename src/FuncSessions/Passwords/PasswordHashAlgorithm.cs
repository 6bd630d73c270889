namespace FuncSessions.Passwords;

/// <summary>The algorithms a stored password hash can be in; <c>FuncSessions:Passwords:Algorithm</c> picks the one for new hashes.</summary>
public enum PasswordHashAlgorithm
{
    /// <summary>Argon2id (RFC 9106) through libsodium: <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>.</summary>
    Argon2id,

    /// <summary>PBKDF2-HMAC-SHA256: <c>$pbkdf2-sha256$i=600000$&lt;salt&gt;$&lt;hash&gt;</c>.</summary>
    Pbkdf2,
}
