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
}
