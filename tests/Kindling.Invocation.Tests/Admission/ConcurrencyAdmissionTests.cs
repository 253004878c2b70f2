using Kindling.Functions.Services;
using Kindling.Invocation.Admission;

namespace Kindling.Invocation.Tests.Admission;

public sealed class ConcurrencyAdmissionTests
{
    private static ConcurrencySnapshot Settings(int accountLimit, params (string Name, int? Reserved, int Provisioned)[] functions) =>
        new(0, accountLimit, functions.ToDictionary(f => f.Name, f => new FunctionConcurrency(f.Reserved, f.Provisioned)));

    private static List<AdmissionLease> EnterMany(ConcurrencyAdmission admission, string function, ConcurrencySnapshot settings, int count, out List<string> reasons)
    {
        var leases = new List<AdmissionLease>();
        reasons = [];
        for (var i = 0; i < count; i++)
        {
            if (admission.TryEnter(function, settings, out var lease, out var reason))
            {
                leases.Add(lease);
            }
            else
            {
                reasons.Add(reason!);
            }
        }

        return leases;
    }

    [Fact]
    public void Reserved_AdmitsExactlyTheReservation_ThenThrottlesWithTheReservedReason()
    {
        var admission = new ConcurrencyAdmission();
        var settings = Settings(1000, ("f", 5, 0));

        var leases = EnterMany(admission, "f", settings, 8, out var reasons);

        Assert.Equal(5, leases.Count);
        Assert.Equal(Enumerable.Repeat(ConcurrencyAdmission.ReservedLimitReason, 3), reasons);
        leases[0].Dispose();
        Assert.True(admission.TryEnter("f", settings, out _, out _));
        Assert.Equal(5, admission.InFlightOf("f"));
    }

    [Fact]
    public void ReservedZero_ThrottlesEverything()
    {
        var admission = new ConcurrencyAdmission();

        Assert.False(admission.TryEnter("f", Settings(1000, ("f", 0, 0)), out var lease, out var reason));
        Assert.Null(lease);
        Assert.Equal(ConcurrencyAdmission.ReservedLimitReason, reason);
        Assert.Equal(0, admission.InFlight);
    }

    [Fact]
    public void Unreserved_ShareThePoolLeftByReservations_AndThrottleWithTheAccountReason()
    {
        var admission = new ConcurrencyAdmission();
        // 10 in the account, 4 reserved by r: a and b share 6.
        var settings = Settings(10, ("r", 4, 0));

        var a = EnterMany(admission, "a", settings, 4, out _);
        var b = EnterMany(admission, "b", settings, 4, out var reasons);

        Assert.Equal(4, a.Count);
        Assert.Equal(2, b.Count);
        Assert.Equal([ConcurrencyAdmission.AccountLimitReason, ConcurrencyAdmission.AccountLimitReason], reasons);
        // The reserved function is not held back by the full pool.
        Assert.Equal(4, EnterMany(admission, "r", settings, 4, out _).Count);
    }

    [Fact]
    public void Provisioned_RunsOutsideThePool_AndSpillsIntoIt()
    {
        var admission = new ConcurrencyAdmission();
        // Pool = 10 − 3 provisioned = 7.
        var settings = Settings(10, ("p", null, 3));

        var p = EnterMany(admission, "p", settings, 12, out var reasons);

        Assert.Equal(10, p.Count);
        Assert.Equal(2, reasons.Count);
        // Releasing one of the first three (provisioned) frees a place all the same: the count is what matters.
        p[0].Dispose();
        Assert.True(admission.TryEnter("p", settings, out _, out _));
        Assert.False(admission.TryEnter("other", settings, out _, out var reason));
        Assert.Equal(ConcurrencyAdmission.AccountLimitReason, reason);
    }

    [Fact]
    public void SettingsChangedInFlight_KeepTheCountExact()
    {
        var admission = new ConcurrencyAdmission();
        var before = Settings(10);
        var leases = EnterMany(admission, "f", before, 6, out _);
        // Reserving 6 for f takes its invocations out of the pool: another function then has the other 4.
        var after = Settings(10, ("f", 6, 0));

        Assert.False(admission.TryEnter("f", after, out _, out var reason));
        Assert.Equal(ConcurrencyAdmission.ReservedLimitReason, reason);
        Assert.Equal(4, EnterMany(admission, "g", after, 5, out _).Count);

        foreach (var lease in leases)
        {
            lease.Dispose();
        }

        Assert.Equal(4, admission.InFlight);
        Assert.Equal(6, EnterMany(admission, "f", after, 7, out _).Count);
    }

    [Fact]
    public void Lease_DisposedTwice_GivesItsPlaceBackOnce()
    {
        var admission = new ConcurrencyAdmission();
        var settings = Settings(1000, ("f", 2, 0));
        Assert.True(admission.TryEnter("f", settings, out var first, out _));
        Assert.True(admission.TryEnter("f", settings, out _, out _));

        first.Dispose();
        first.Dispose();

        Assert.Equal(1, admission.InFlightOf("f"));
    }

    [Fact]
    public async Task ManyThreadsContend_NeverMoreThanTheLimit_NeverARefusalWhileFree()
    {
        var admission = new ConcurrencyAdmission();
        var settings = Settings(1000, ("f", 5, 0));
        var running = 0;
        var peak = 0;
        var refusedWhileFree = 0;

        await Parallel.ForAsync(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, (_, _) =>
        {
            if (admission.TryEnter("f", settings, out var lease, out _))
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                Thread.SpinWait(50);
                Interlocked.Decrement(ref running);
                lease.Dispose();
            }
            else if (Volatile.Read(ref running) == 0 && admission.InFlightOf("f") == 0)
            {
                // Only a refusal with nothing admitted at all can be proven wrong from outside the lock.
                Interlocked.Increment(ref refusedWhileFree);
            }

            return ValueTask.CompletedTask;
        });

        Assert.InRange(peak, 1, 5);
        Assert.Equal(0, refusedWhileFree);
        Assert.Equal(0, admission.InFlight);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
