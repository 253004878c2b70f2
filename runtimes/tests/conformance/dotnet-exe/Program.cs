using System.Text.Json;

// A hand-written Runtime API loop, as a function using its own (or Amazon.Lambda.RuntimeSupport's) bootstrap does:
// answers {"exe": true, "event": <event>, "requestId": <id>, "count": <n>, "runtime": <.NET version>,
// "decimalSeparator": <fr-FR's>}.
var api = $"http://{Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")}/2018-06-01/runtime";
using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
var count = 0;
while (true)
{
    using var next = await http.GetAsync(new Uri(api + "/invocation/next"));
    var requestId = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").First();
    var input = await next.Content.ReadAsStringAsync();
    count++;
    Console.WriteLine($"exe handling {requestId}");
    using var document = JsonDocument.Parse(input);
    var buffer = new MemoryStream();
    using (var writer = new Utf8JsonWriter(buffer))
    {
        writer.WriteStartObject();
        writer.WriteBoolean("exe", true);
        writer.WritePropertyName("event");
        document.RootElement.WriteTo(writer);
        writer.WriteString("requestId", requestId);
        writer.WriteNumber("count", count);
        writer.WriteString("runtime", Environment.Version.ToString());
        writer.WriteString("decimalSeparator", System.Globalization.CultureInfo.GetCultureInfo("fr-FR").NumberFormat.NumberDecimalSeparator);
        writer.WriteEndObject();
    }

    using var content = new ByteArrayContent(buffer.ToArray());
    using var posted = await http.PostAsync(new Uri($"{api}/invocation/{requestId}/response"), content);
}
