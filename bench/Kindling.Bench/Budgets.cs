using System.Globalization;
using System.Text;

namespace Kindling.Bench;

/// <summary>The budgets of issue 7, checked against the suite's key numbers for the summary table.</summary>
internal static class Budgets
{
    private static readonly (string Budget, string Key, double Limit, bool AtMost)[] Rows =
    [
        ("warm platform overhead p50, nodejs20.x ≤ 0.5 ms", "warm overhead p50 ms (nodejs20.x)", 0.5, true),
        ("warm platform overhead p99, nodejs20.x ≤ 3 ms", "warm overhead p99 ms (nodejs20.x)", 3, true),
        ("warm platform overhead p50, python3.11 ≤ 0.5 ms", "warm overhead p50 ms (python3.11)", 0.5, true),
        ("warm platform overhead p99, python3.11 ≤ 3 ms", "warm overhead p99 ms (python3.11)", 3, true),
        ("warm platform overhead p50, provided ≤ 0.5 ms", "warm overhead p50 ms (provided.al2023)", 0.5, true),
        ("warm platform overhead p99, provided ≤ 3 ms", "warm overhead p99 ms (provided.al2023)", 3, true),
        ("throughput on 16 connections ≥ 2 × serverless-offline", "throughput 16 connections, Kindling ÷ serverless-offline", 2, false),
        ("cold start p50, provided NativeAOT ≤ 10 ms", "cold start p50 ms (provided.al2023)", 10, true),
        ("cold start p50, python3.11 ≤ 25 ms", "cold start p50 ms (python3.11)", 25, true),
        ("cold start p50, nodejs20.x ≤ 40 ms", "cold start p50 ms (nodejs20.x)", 40, true),
        ("cold start p50, dotnet10 ≤ 60 ms", "cold start p50 ms (dotnet10)", 60, true),
        ("scale-up 0 → 200 python3.11 ≤ 5,000 ms", "scale 0→200 python3.11 ms", 5000, true),
        ("idle python3.11 environments held at once ≥ 500", "idle python environments held", 500, false),
        ("idle python3.11 environments on this host ≥ 500, projected from the MiB per environment", "idle python environments on this host, projected", 500, false),
    ];

    public static string Table(IReadOnlyDictionary<string, double> key)
    {
        var table = new StringBuilder();
        table.AppendLine("| budget (issue 7) | measured | met |").AppendLine("|---|---:|:---:|");
        foreach (var (budget, name, limit, atMost) in Rows)
        {
            if (!key.TryGetValue(name, out var value))
            {
                continue;
            }

            var met = double.IsNaN(value) ? "–" : (atMost ? value <= limit : value >= limit) ? "yes" : "no";
            table.AppendLine(CultureInfo.InvariantCulture, $"| {budget} | {value:0.##} | {met} |");
        }

        return table.ToString();
    }
}
