using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FuncSessions.Infra.Tests;

/// <summary>
/// Finishes the evaluation `bicep snapshot` leaves open: the ARM expressions over values that exist only after
/// deployment. Covers the few functions those leftovers use; anything else fails loudly rather than guessing.
/// </summary>
internal sealed class ArmExpression
{
    /// <summary>The namespace ARM's guid() hashes its arguments under.</summary>
    private static readonly Guid GuidNamespace = new("11fb06fb-712d-4ddd-98c7-e71bbd588830");

    private readonly string _text;
    private readonly IReadOnlyDictionary<string, string> _secureParameters;
    private readonly Func<string, string, string> _runtimeProperty;
    private int _position;

    private ArmExpression(
        string text, IReadOnlyDictionary<string, string> secureParameters, Func<string, string, string> runtimeProperty)
    {
        _text = text;
        _secureParameters = secureParameters;
        _runtimeProperty = runtimeProperty;
    }

    /// <summary>
    /// The final string value of a snapshot value: plain strings are returned as they are, "[...]" expressions are
    /// evaluated with reference(...) answered by <see cref="FakeAzure"/> and parameters(...) by
    /// <paramref name="secureParameters"/> (the only parameters a snapshot leaves unresolved).
    /// <paramref name="runtimeProperty"/> (resource id, property path) replaces <see cref="FakeAzure.Property"/>, to
    /// ask what a deployment would do if Azure answered otherwise (e.g. a recreated identity's new principal id).
    /// </summary>
    public static string Evaluate(
        string value,
        IReadOnlyDictionary<string, string> secureParameters,
        Func<string, string, string>? runtimeProperty = null)
    {
        if (!value.StartsWith('[') || value.StartsWith("[[", StringComparison.Ordinal))
        {
            return value.StartsWith("[[", StringComparison.Ordinal) ? value[1..] : value;
        }

        var expression = new ArmExpression(value[1..^1], secureParameters, runtimeProperty ?? FakeAzure.Property);
        var result = expression.ParseExpression();
        expression.SkipWhitespace();
        if (expression._position != expression._text.Length)
        {
            throw expression.Error("trailing text");
        }

        return AsString(expression.Resolve(result()));
    }

    /// <summary>
    /// ARM's guid(): a version-5 UUID (RFC 9562, SHA-1) of the arguments joined with "-", under a fixed namespace.
    /// </summary>
    public static string ArmGuid(params string[] arguments)
    {
        Span<byte> name = stackalloc byte[16];
        GuidNamespace.TryWriteBytes(name, bigEndian: true, out _);
        var hash = SHA1.HashData([.. name, .. Encoding.UTF8.GetBytes(string.Join('-', arguments))]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    /// <summary>Property access on a deployed resource, resolved only when its value is needed.</summary>
    private sealed record RuntimeProperty(string ResourceId, string Path);

    // Note: parsing yields thunks, so if() evaluates only the branch it takes, as ARM does.
    private Func<object?> ParseExpression()
    {
        SkipWhitespace();
        var value = Peek() switch
        {
            '\'' => Constant(ParseString()),
            var c when char.IsDigit(c) || c == '-' => Constant(ParseNumber()),
            _ => ParseCall(),
        };

        while (true)
        {
            SkipWhitespace();
            var target = value;
            if (TryConsume('.'))
            {
                var member = ParseIdentifier();
                value = () => Member(target(), member);
            }
            else if (TryConsume('['))
            {
                var index = ParseExpression();
                Expect(']');
                value = () => Member(target(), AsString(Resolve(index())));
            }
            else
            {
                return value;
            }
        }
    }

    private static Func<object?> Constant(object value) => () => value;

    private Func<object?> ParseCall()
    {
        var name = ParseIdentifier();
        Expect('(');
        var arguments = new List<Func<object?>>();
        if (!TryConsume(')'))
        {
            do
            {
                var argument = ParseExpression();
                arguments.Add(() => Resolve(argument()));
            }
            while (TryConsume(','));

            Expect(')');
        }

        return () => Invoke(name, arguments);
    }

    private object? Invoke(string name, List<Func<object?>> arguments) =>
        name.ToLowerInvariant() switch
        {
            "reference" => new RuntimeProperty(AsString(arguments[0]()), ""),
            "parameters" => _secureParameters.TryGetValue(AsString(arguments[0]()), out var secure)
                ? secure
                : throw Error($"no value for secure parameter '{AsString(arguments[0]())}'"),
            "format" => Format(AsString(arguments[0]()), arguments.Skip(1).Select(a => a()).ToArray()),
            "concat" => string.Concat(arguments.Select(a => AsString(a()))),
            "if" => AsBool(arguments[0]()) ? arguments[1]() : arguments[2](),
            "empty" => arguments[0]() is null or "",
            "not" => !AsBool(arguments[0]()),
            "and" => arguments.All(a => AsBool(a())),
            "or" => arguments.Any(a => AsBool(a())),
            "equals" => Equals(arguments[0](), arguments[1]()),
            "true" => true,
            "false" => false,
            "guid" => ArmGuid(arguments.Select(a => AsString(a())).ToArray()),
            "extensionresourceid" => $"{AsString(arguments[0]())}/providers/{AsString(arguments[1]())}/{AsString(arguments[2]())}",
            _ => throw Error($"function '{name}' is not supported"),
        };

    private static object Member(object? target, string member) => target switch
    {
        RuntimeProperty property => property with { Path = property.Path.Length == 0 ? member : $"{property.Path}.{member}" },
        _ => throw new NotSupportedException($"Member access '.{member}' on {target ?? "null"} is not supported."),
    };

    private object? Resolve(object? value) => value switch
    {
        RuntimeProperty { Path.Length: > 0 } property => _runtimeProperty(property.ResourceId, property.Path),
        RuntimeProperty property => throw new NotSupportedException($"reference('{property.ResourceId}') used as a whole."),
        _ => value,
    };

    private static string Format(string format, object?[] arguments) =>
        string.Format(CultureInfo.InvariantCulture, format, arguments.Select(AsString).ToArray<object>());

    private static string AsString(object? value) => value switch
    {
        string s => s,
        long n => n.ToString(CultureInfo.InvariantCulture),
        // Note: ARM's string(true) is "True", like .NET's.
        bool b => b ? "True" : "False",
        _ => throw new NotSupportedException($"Cannot use {value ?? "null"} as a string."),
    };

    private static bool AsBool(object? value) =>
        value as bool? ?? throw new NotSupportedException($"Cannot use {value ?? "null"} as a condition.");

    private string ParseString()
    {
        Expect('\'');
        var text = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("unterminated string");
            }

            var c = _text[_position++];
            if (c != '\'')
            {
                text.Append(c);
            }
            else if (TryConsume('\''))
            {
                text.Append('\'');
            }
            else
            {
                return text.ToString();
            }
        }
    }

    private long ParseNumber()
    {
        var start = _position;
        _position++;
        while (_position < _text.Length && char.IsDigit(_text[_position]))
        {
            _position++;
        }

        return long.Parse(_text.AsSpan(start, _position - start), CultureInfo.InvariantCulture);
    }

    private string ParseIdentifier()
    {
        SkipWhitespace();
        var start = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }

        return _position > start ? _text[start.._position] : throw Error("identifier expected");
    }

    private char Peek() => _position < _text.Length ? _text[_position] : throw Error("unexpected end");

    private bool TryConsume(char c)
    {
        SkipWhitespace();
        if (_position < _text.Length && _text[_position] == c)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void Expect(char c)
    {
        if (!TryConsume(c))
        {
            throw Error($"'{c}' expected");
        }
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private FormatException Error(string problem) =>
        new($"Cannot evaluate ARM expression [{_text}]: {problem} at position {_position}.");
}
