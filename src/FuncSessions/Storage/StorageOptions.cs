using System.ComponentModel.DataAnnotations;

namespace FuncSessions.Storage;

/// <summary>Where the tables live. Bound from <c>FuncSessions:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "FuncSessions:Storage";

    /// <summary>
    /// Name of the connection setting, resolved the way Azure Functions resolves <c>AzureWebJobsStorage</c>: either a
    /// connection string under that name, or identity-based settings <c>{name}__tableServiceUri</c> (or
    /// <c>{name}__accountName</c>) with optional <c>{name}__credential = managedidentity</c> and <c>{name}__clientId</c>.
    /// </summary>
    [Required]
    public string Connection { get; set; } = "AzureWebJobsStorage";

    /// <summary>Prefix of the five table names (Users, Sessions, SessionExpiry, Throttles, Factors). Letters and digits, starting with a letter.</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{0,40}$")]
    public string TablePrefix { get; set; } = "FuncSessions";

    /// <summary>
    /// How many partitions each hour of the session expiry index is spread over (<see cref="ExpiryIndex"/>): every login
    /// writes one entry, and a partition serves about 2,000 entities/s, so the default 10 carries 20,000 logins/s, the
    /// whole storage account's limit. 1 writes the unsharded buckets of earlier versions. Changing it is safe: the sweep
    /// reads every partition of an hour whatever their number.
    /// </summary>
    [Range(1, 99, ErrorMessage = "FuncSessions:Storage:ExpiryIndexShards must be between {1} and {2}.")]
    public int ExpiryIndexShards { get; set; } = 10;
}
