using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Kindling.Sandbox;

/// <summary>
/// How long each step of a multi-step operation took (a launch, a cold start), for debug logs: <see cref="Mark(string)"/>
/// ends the current step. Not thread-safe: one operation marks it at a time.
/// </summary>
public sealed class StepTimeline
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly List<(string Step, long Ended)> _steps = [];

    /// <summary>Milliseconds from creation to the last mark.</summary>
    public double TotalMilliseconds =>
        _steps.Count == 0 ? 0 : Stopwatch.GetElapsedTime(_started, _steps[^1].Ended).TotalMilliseconds;

    /// <summary>Ends the step named <paramref name="step"/> now.</summary>
    public void Mark(string step) => Mark(step, Stopwatch.GetTimestamp());

    /// <summary>
    /// Ends the step named <paramref name="step"/> at <paramref name="timestamp"/> (a <see cref="Stopwatch"/>
    /// timestamp), or when the previous step ended if that was later (the step then took no time).
    /// </summary>
    public void Mark(string step, long timestamp) =>
        _steps.Add((step, Math.Max(timestamp, _steps.Count == 0 ? _started : _steps[^1].Ended)));

    /// <summary>"step 1.23 ms, step 0.45 ms, …": each step's own duration.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        var previous = _started;
        foreach (var (step, ended) in _steps)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(step).Append(' ')
                .Append(Stopwatch.GetElapsedTime(previous, ended).TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture)).Append(" ms");
            previous = ended;
        }

        return text.ToString();
    }
}
