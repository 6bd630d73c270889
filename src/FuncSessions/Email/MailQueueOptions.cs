using System.ComponentModel.DataAnnotations;
using FuncSessions.Storage;

namespace FuncSessions.Email;

/// <summary>The mail queue's name, from the flat app setting <see cref="EmailOptions.QueueSettingName"/>.</summary>
public sealed class MailQueueOptions
{
    /// <summary>Empty (default): <c>{TablePrefix}mail</c> in lower case. The Functions app needs the setting itself.</summary>
    [RegularExpression("^([a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9])?$",
        ErrorMessage = EmailOptions.QueueSettingName + " must be a queue name: 3-56 lower-case letters (the poison queue adds 7), digits and single hyphens.")]
    public string Name { get; set; } = "";

    public string QueueName(StorageOptions storage) => Name.Length > 0 ? Name : storage.TablePrefix.ToLowerInvariant() + "mail";
}
