using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FuncSessions.IntegrationTests.Infrastructure;

public enum StorageFault
{
    /// <summary>No fault: the request passes untouched (queued before another fault to aim it at a later request).</summary>
    None,

    /// <summary>The proxy answers <c>503 Server Busy</c> itself; storage never sees the request.</summary>
    ServiceUnavailable,

    /// <summary>The connection is reset (TCP RST) after the request arrived; storage never sees it.</summary>
    ConnectionReset,

    /// <summary>The request is swallowed and never answered: the client must time out.</summary>
    Stall,

    /// <summary>Storage receives and executes the request, but its response is lost (connection reset).</summary>
    ResponseLost,
}

/// <summary>
/// A loopback TCP proxy between the self-host and Azurite that injects faults into chosen HTTP requests. It reads
/// request heads (method, Content-Length) to find request boundaries and relies on HTTP/1.1 without pipelining —
/// what the Azure SDK speaks — so the next bytes from storage after a request are that request's response.
/// </summary>
public sealed class FaultInjectingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<(StorageFault Fault, string? Method)> _faults = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly Task _accepting;
    private int _requests;
    private int _injected;

    public FaultInjectingProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Requests seen, faulted or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Faults injected so far.</summary>
    public int Injected => Volatile.Read(ref _injected);

    public string ConnectionString(AzuriteProcess azurite) => azurite.ConnectionString.Replace(
        $"127.0.0.1:{azurite.Port}/", $"127.0.0.1:{Port}/", StringComparison.Ordinal);

    /// <summary>Applies <paramref name="fault"/> to each of the next <paramref name="count"/> requests (with that method, if given).</summary>
    public void Inject(StorageFault fault, int count = 1, string? method = null)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue((fault, method));
        }
    }

    /// <summary>Forgets faults not injected yet.</summary>
    public void Clear() => _faults.Clear();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_connections.Keys);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = ServeAsync(client);
            _connections[connection] = true;
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var _ = client;
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, connection.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // Note: storage is down; the client sees its connection closed, as it would see a refusal.
            Reset(client);
            return;
        }

        var state = new ConnectionState();
        var requests = ForwardRequestsAsync(client, upstream, state, connection);
        var responses = ForwardResponsesAsync(upstream, client, state, connection);
        await Task.WhenAny(requests, responses);
        if (state.Stalled)
        {
            // Note: storage closes idle connections (keep-alive timeout); a stalled client must still wait for nothing.
            await requests;
        }

        await connection.CancelAsync();
        await Task.WhenAll(requests, responses);
    }

    private async Task ForwardRequestsAsync(Socket client, Socket upstream, ConnectionState state, CancellationTokenSource connection)
    {
        var reader = new RequestReader(client);
        try
        {
            while (await reader.ReadHeadAsync(connection.Token) is { } head)
            {
                Interlocked.Increment(ref _requests);
                var fault = TakeFault(head.Method);
                if (fault is null or StorageFault.None or StorageFault.ResponseLost)
                {
                    state.ResponseLost = fault is StorageFault.ResponseLost;
                    await upstream.SendAsync(head.Bytes, connection.Token);
                    await reader.CopyBodyAsync(head.ContentLength, upstream, connection.Token);
                    continue;
                }

                await reader.CopyBodyAsync(head.ContentLength, null, connection.Token);
                switch (fault)
                {
                    case StorageFault.ServiceUnavailable:
                        await client.SendAsync(ServerBusy, connection.Token);
                        client.Shutdown(SocketShutdown.Both);
                        return;
                    case StorageFault.ConnectionReset:
                        Reset(client);
                        return;
                    default:
                        // Note: stalled until the client gives up and closes, or the proxy stops.
                        state.Stalled = true;
                        await reader.WaitForCloseAsync(connection.Token);
                        return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Note: either side went away; the connection ends.
        }
    }

    private static async Task ForwardResponsesAsync(Socket upstream, Socket client, ConnectionState state, CancellationTokenSource connection)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await upstream.ReceiveAsync(buffer, connection.Token)) > 0)
            {
                if (state.ResponseLost)
                {
                    Reset(client);
                    return;
                }

                await client.SendAsync(buffer.AsMemory(0, read), connection.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Note: either side went away; the connection ends.
        }
    }

    private StorageFault? TakeFault(string method)
    {
        if (_faults.TryPeek(out var next) && (next.Method is null || next.Method == method) && _faults.TryDequeue(out next))
        {
            if (next.Fault != StorageFault.None)
            {
                Interlocked.Increment(ref _injected);
            }

            return next.Fault;
        }

        return null;
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Note: already closed.
        }
    }

    private static readonly byte[] ServerBusy = Encoding.ASCII.GetBytes(
        "HTTP/1.1 503 Server Busy\r\nContent-Length: 0\r\nConnection: close\r\nx-ms-error-code: ServerBusy\r\n\r\n");

    private sealed class ConnectionState
    {
        public volatile bool ResponseLost;
        public volatile bool Stalled;
    }

    private sealed record RequestHead(string Method, long ContentLength, byte[] Bytes);

    /// <summary>Reads HTTP/1.1 request heads and bodies from a socket, keeping bytes read past a head.</summary>
    private sealed class RequestReader(Socket socket)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<RequestHead?> ReadHeadAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
                if (headEnd >= 0)
                {
                    var bytes = _buffer.AsSpan(_start, headEnd + 4).ToArray();
                    _start += headEnd + 4;
                    var text = Encoding.ASCII.GetString(bytes);
                    var method = text[..text.IndexOf(' ', StringComparison.Ordinal)];
                    var length = text.Split("\r\n")
                        .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                        .Select(line => long.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture))
                        .FirstOrDefault();
                    return new RequestHead(method, length, bytes);
                }

                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }

                if (_end == _buffer.Length)
                {
                    throw new InvalidOperationException("Request head larger than the proxy's buffer.");
                }

                var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), cancellationToken);
                if (read == 0)
                {
                    return null;
                }

                _end += read;
            }
        }

        public async Task CopyBodyAsync(long length, Socket? destination, CancellationToken cancellationToken)
        {
            while (length > 0)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await socket.ReceiveAsync(_buffer, cancellationToken);
                    if (_end == 0)
                    {
                        throw new SocketException((int)SocketError.ConnectionReset);
                    }
                }

                var chunk = (int)Math.Min(length, _end - _start);
                if (destination is not null)
                {
                    await destination.SendAsync(_buffer.AsMemory(_start, chunk), cancellationToken);
                }

                _start += chunk;
                length -= chunk;
            }
        }

        public async Task WaitForCloseAsync(CancellationToken cancellationToken)
        {
            while (await socket.ReceiveAsync(_buffer, cancellationToken) > 0)
            {
            }
        }
    }
}
