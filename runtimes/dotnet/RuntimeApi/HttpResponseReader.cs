using System.Text;

namespace Kindling.Runtime.Dotnet.RuntimeApi;

/// <summary>Reads HTTP/1.1 responses (Content-Length, chunked, or until close) from a socket, keeping over-read bytes.</summary>
internal sealed class HttpResponseReader
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public void Reset()
    {
        _start = 0;
        _end = 0;
    }

    public HttpResponse Read(RawSocket socket)
    {
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (Fill(socket) == 0)
            {
                throw new IOException("Runtime API closed the connection before a response.");
            }
        }

        var head = Encoding.Latin1.GetString(_buffer, _start, headerEnd);
        _start += headerEnd + 4;
        var lines = head.Split("\r\n");
        var statusParts = lines[0].Split(' ', 3);
        var status = Ascii.ParseInt(statusParts[1]);
        var headers = new Dictionary<string, string>(lines.Length, StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[Ascii.ToLower(lines[i].AsSpan(0, colon).Trim())] = lines[i][(colon + 1)..].Trim();
            }
        }

        var close = headers.TryGetValue("connection", out var connection) && connection.Equals("close", StringComparison.OrdinalIgnoreCase);
        byte[] body;
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = ReadChunked(socket);
        }
        else if (headers.TryGetValue("content-length", out var lengthText))
        {
            body = ReadExactly(socket, Ascii.ParseInt(lengthText));
        }
        else if (status is 204 or 304 or (>= 100 and < 200))
        {
            body = [];
        }
        else
        {
            body = ReadToClose(socket);
            close = true;
        }

        // Over-read bytes stay at the front of the buffer for the next response.
        if (_start == _end)
        {
            _start = _end = 0;
        }

        return new HttpResponse(status, headers, body, close);
    }

    private byte[] ReadExactly(RawSocket socket, int length)
    {
        var body = new byte[length];
        var copied = 0;
        while (copied < length)
        {
            if (_start == _end && Fill(socket) == 0)
            {
                throw new IOException("Runtime API closed the connection inside a response body.");
            }

            var take = Math.Min(length - copied, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(body.AsSpan(copied));
            _start += take;
            copied += take;
        }

        return body;
    }

    private byte[] ReadChunked(RawSocket socket)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = ReadLine(socket);
            var semicolon = line.IndexOf(';', StringComparison.Ordinal);
            var size = Convert.ToInt32(semicolon < 0 ? line : line[..semicolon], 16);
            if (size == 0)
            {
                // Trailers, up to the empty line.
                while (ReadLine(socket).Length > 0)
                {
                }

                return body.ToArray();
            }

            body.Write(ReadExactly(socket, size));
            ReadLine(socket);
        }
    }

    private string ReadLine(RawSocket socket)
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            if (Fill(socket) == 0)
            {
                throw new IOException("Runtime API closed the connection inside a chunked body.");
            }
        }

        var line = Encoding.Latin1.GetString(_buffer, _start, end);
        _start += end + 2;
        return line.Trim();
    }

    private byte[] ReadToClose(RawSocket socket)
    {
        using var body = new MemoryStream();
        do
        {
            body.Write(_buffer, _start, _end - _start);
            _start = _end = 0;
        }
        while (Fill(socket) > 0);

        return body.ToArray();
    }

    private int Fill(RawSocket socket)
    {
        if (_start > 0 && _start == _end)
        {
            _start = _end = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }

        var read = socket.Receive(_buffer, _end, _buffer.Length - _end);
        _end += read;
        return read;
    }
}
