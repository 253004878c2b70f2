using System.Net;
using System.Text;

// A complete custom runtime: the Runtime API loop of Lambda's provided runtimes, with an echo handler that
// also reports its context, and a few behaviours tests ask for through the event.
var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API")
    ?? throw new InvalidOperationException("AWS_LAMBDA_RUNTIME_API is not set");
var baseUri = new Uri($"http://{api}/2018-06-01/runtime/");
using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
var invocations = 0;

while (true)
{
    using var next = await http.GetAsync(new Uri(baseUri, "invocation/next"));
    var requestId = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").First();
    var deadline = next.Headers.GetValues("Lambda-Runtime-Deadline-Ms").First();
    var arn = next.Headers.GetValues("Lambda-Runtime-Invoked-Function-Arn").First();
    var body = await next.Content.ReadAsStringAsync();
    invocations++;
    Console.WriteLine($"aot bootstrap handling {requestId}");

    if (body.Contains("\"fail\"", StringComparison.Ordinal))
    {
        var error = "{\"errorMessage\":\"asked to fail\",\"errorType\":\"TestError\",\"stackTrace\":[]}";
        using var content = new StringContent(error, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, $"invocation/{requestId}/error")) { Content = content };
        request.Headers.Add("Lambda-Runtime-Function-Error-Type", "TestError");
        using var errorResponse = await http.SendAsync(request);
        continue;
    }

    var response = $"{{\"echo\":{body},\"requestId\":\"{requestId}\",\"arn\":\"{arn}\",\"deadlineMs\":{deadline},\"invocations\":{invocations},\"function\":\"{Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME")}\"}}";
    using var posted = await http.PostAsync(new Uri(baseUri, $"invocation/{requestId}/response"), new StringContent(response, Encoding.UTF8, "application/json"));
    if (posted.StatusCode != HttpStatusCode.Accepted)
    {
        Console.Error.WriteLine($"response rejected: {(int)posted.StatusCode}");
    }
}
