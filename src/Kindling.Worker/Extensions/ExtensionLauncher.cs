namespace Kindling.Worker.Extensions;

/// <summary>
/// The sandbox runs one command, so with external extensions it runs this small bash launcher instead of the
/// runtime: it starts every extension, waits (a request to the worker's <c>/kindling/launcher/…</c> routes over
/// bash's <c>/dev/tcp</c>) until they have all registered, as Lambda starts the runtime only after the
/// extensions' Init, then starts the runtime as its child and reports its exit. It stays the sandbox's main
/// process, so extensions outlive a runtime that crashed or timed out and still get their SHUTDOWN event.
/// Each extension's output goes through a line tagger (<see cref="LineMark"/> first), so the log knows
/// extension lines from the function's. SIGTERM is passed to the runtime; SIGUSR1 kills it (a timeout). A trapped
/// signal interrupts bash's <c>wait</c>, so the last wait (for the extensions, which may still be handling
/// SHUTDOWN) is repeated until it really returns: the launcher ending would end the whole sandbox.
/// </summary>
internal static class ExtensionLauncher
{
    /// <summary>The byte (ASCII unit separator) that starts each line an extension wrote.</summary>
    public const byte LineMark = 0x1F;

    /// <summary>Route prefix of the launcher's requests.</summary>
    public const string RoutePrefix = "/kindling/launcher/";

    private const string Script = """
        p=${AWS_LAMBDA_RUNTIME_API##*:}
        k() { exec 9<>"/dev/tcp/127.0.0.1/$p" && printf 'POST /kindling/launcher/%s HTTP/1.1\r\nHost: launcher\r\nContent-Length: 0\r\n\r\n' "$1" >&9 && read -r _ <&9; exec 9>&-; }
        t() { while IFS= read -r l || [ -n "$l" ]; do printf '\037%s\n' "$l"; done; }
        for e in /opt/extensions/*; do
          [ -f "$e" ] && [ -x "$e" ] || continue
          ( "$e" > >(t) 2>&1; s=$?; wait $! 2>/dev/null; k "extension-exited/${e##*/}/$s" ) &
        done
        k extensions-launched
        "$@" &
        r=$!
        trap 'kill -TERM $r 2>/dev/null' TERM
        trap 'kill -KILL $r 2>/dev/null' USR1
        while :; do wait $r 2>/dev/null; c=$?; kill -0 $r 2>/dev/null || break; done
        k "runtime-exited/$c"
        while ! wait; do :; done
        """;

    /// <summary>The launcher's command line around the runtime's.</summary>
    public static IReadOnlyList<string> Wrap(IReadOnlyList<string> command)
        => ["/bin/bash", "-c", Script, "kindling-launcher", .. command];
}
