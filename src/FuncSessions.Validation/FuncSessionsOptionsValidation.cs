using Microsoft.Extensions.Options;

namespace FuncSessions.Validation;

/// <summary>Start-up validation of both options types, with a message that says what to fix.</summary>
internal sealed class FuncSessionsOptionsValidation : IValidateOptions<FuncSessionsBearerOptions>, IValidateOptions<FuncSessionsVerifierOptions>
{
    public ValidateOptionsResult Validate(string? name, FuncSessionsBearerOptions options) => Result(options.Verifier.Check());

    public ValidateOptionsResult Validate(string? name, FuncSessionsVerifierOptions options) => Result(options.Check());

    private static ValidateOptionsResult Result(string? problem) =>
        problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail("FuncSessions verifier options: " + problem);
}
