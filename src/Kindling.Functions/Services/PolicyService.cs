using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kindling.Functions.Errors;
using Kindling.Functions.Model;
using Kindling.Functions.Persistence;
using Kindling.Functions.Validation;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Services;

/// <summary>A function's resource-based policy: AddPermission, GetPolicy, RemovePermission.</summary>
public sealed partial class PolicyService(FunctionStore functions)
{
    private const int MaxPolicyBytes = 20480;

    /// <summary>AddPermission: returns the statement as a JSON string.</summary>
    public async Task<string> AddAsync(string functionName, string? qualifier, AddPermissionRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required(request.StatementId, "statementId");
        errors.Required(request.Action, "action");
        errors.Required(request.Principal, "principal");
        errors.Length(request.StatementId, "statementId", 1, 100);
        errors.Pattern(request.StatementId, "statementId", StatementIdRegex(), "([a-zA-Z0-9-_.]+)");
        errors.Pattern(request.Action, "action", ActionRegex(), "(lambda:[*]|lambda:[a-zA-Z]+|[*])");
        errors.Pattern(request.Principal, "principal", PrincipalRegex(), @"[^\s]+");
        errors.Pattern(request.SourceAccount, "sourceAccount", AccountRegex(), @"\d{12}");
        errors.Enum(request.FunctionUrlAuthType, "functionUrlAuthType", ["NONE", "AWS_IAM"]);
        errors.ThrowIfAny();
        var (name, key, resource) = await ResolveAsync(functionName, qualifier, cancellationToken);
        var existing = await functions.Documents.GetAsync<ResourcePolicy>(Tables.Policy, name, key, cancellationToken);
        if (request.RevisionId is not null && request.RevisionId != existing?.Value.RevisionId)
        {
            throw PolicyRevisionMismatch();
        }

        var statements = existing?.Value.Statements ?? [];
        if (statements.Any(s => (string?)s["Sid"] == request.StatementId))
        {
            throw LambdaErrors.Conflict($"The statement id ({request.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.");
        }

        var statement = BuildStatement(request, resource);
        var policy = new ResourcePolicy([.. statements, statement], Guid.NewGuid().ToString());
        var rendered = PolicyDocument.Render(policy);
        if (rendered.Length > MaxPolicyBytes)
        {
            throw new LambdaException(System.Net.HttpStatusCode.BadRequest, "PolicyLengthExceededException",
                $"The final policy size ({rendered.Length}) is bigger than the limit ({MaxPolicyBytes}).");
        }

        try
        {
            await functions.Documents.WriteAsync(Documents.Put(Tables.Policy, name, key, policy, existing?.Version ?? 0), cancellationToken);
        }
        catch (StoreConditionFailedException)
        {
            throw PolicyRevisionMismatch();
        }

        return statement.ToJsonString();
    }

    /// <summary>GetPolicy.</summary>
    public async Task<(string Policy, string RevisionId)> GetAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var (name, key, _) = await ResolveAsync(functionName, qualifier, cancellationToken);
        var policy = await functions.Documents.GetAsync<ResourcePolicy>(Tables.Policy, name, key, cancellationToken);
        if (policy is null || policy.Value.Statements.Count == 0)
        {
            throw LambdaErrors.NotFound("The resource you requested does not exist.");
        }

        return (PolicyDocument.Render(policy.Value), policy.Value.RevisionId);
    }

    /// <summary>RemovePermission.</summary>
    public async Task RemoveAsync(string functionName, string statementId, string? qualifier, string? revisionId, CancellationToken cancellationToken)
    {
        var (name, key, _) = await ResolveAsync(functionName, qualifier, cancellationToken);
        var policy = await functions.Documents.GetAsync<ResourcePolicy>(Tables.Policy, name, key, cancellationToken);
        if (policy is null || policy.Value.Statements.Count == 0)
        {
            throw LambdaErrors.NotFound("No policy is associated with the given resource.");
        }

        if (!policy.Value.Statements.Any(s => (string?)s["Sid"] == statementId))
        {
            throw LambdaErrors.NotFound($"Statement {statementId} is not found in resource policy.");
        }

        if (revisionId is not null && revisionId != policy.Value.RevisionId)
        {
            throw PolicyRevisionMismatch();
        }

        var remaining = policy.Value.Statements.Where(s => (string?)s["Sid"] != statementId).ToList();
        await functions.Documents.WriteAsync(
            remaining.Count == 0
                ? new DeleteItem(Tables.Policy, name, key, policy.Version)
                : Documents.Put(Tables.Policy, name, key, new ResourcePolicy(remaining, Guid.NewGuid().ToString()), policy.Version),
            cancellationToken);
    }

    /// <summary>The statements that apply to a function name and qualifier (for authorization checks).</summary>
    public async Task<IReadOnlyList<JsonObject>> StatementsAsync(string name, string? qualifier, CancellationToken cancellationToken) =>
        (await functions.Documents.GetAsync<ResourcePolicy>(Tables.Policy, name, qualifier ?? "", cancellationToken))?.Value.Statements ?? [];

    private async Task<(string Name, string Key, string Resource)> ResolveAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var reference = functions.Parse(functionName, qualifier);
        _ = await functions.ResolveAsync(reference, cancellationToken);
        return (reference.Name, reference.Qualifier ?? "", functions.Account.FunctionArn(reference.Name, reference.Qualifier));
    }

    private JsonObject BuildStatement(AddPermissionRequest request, string resource)
    {
        var principal = request.Principal!;
        JsonNode principalNode = principal switch
        {
            "*" => JsonValue.Create("*"),
            _ when AccountRegex().IsMatch(principal) => new JsonObject { ["AWS"] = $"arn:aws:iam::{principal}:root" },
            _ when principal.StartsWith("arn:", StringComparison.Ordinal) => new JsonObject { ["AWS"] = principal },
            _ => new JsonObject { ["Service"] = principal },
        };
        var statement = new JsonObject
        {
            ["Sid"] = request.StatementId,
            ["Effect"] = "Allow",
            ["Principal"] = principalNode,
            ["Action"] = request.Action,
            ["Resource"] = resource,
        };
        var condition = new JsonObject();
        var stringEquals = new JsonObject();
        if (request.SourceAccount is not null)
        {
            stringEquals["AWS:SourceAccount"] = request.SourceAccount;
        }

        if (request.PrincipalOrgID is not null)
        {
            stringEquals["aws:PrincipalOrgID"] = request.PrincipalOrgID;
        }

        if (request.EventSourceToken is not null)
        {
            stringEquals["lambda:EventSourceToken"] = request.EventSourceToken;
        }

        if (request.FunctionUrlAuthType is not null)
        {
            stringEquals["lambda:FunctionUrlAuthType"] = request.FunctionUrlAuthType;
        }

        if (stringEquals.Count > 0)
        {
            condition["StringEquals"] = stringEquals;
        }

        if (request.InvokedViaFunctionUrl is true)
        {
            condition["Bool"] = new JsonObject { ["lambda:InvokedViaFunctionUrl"] = "true" };
        }

        if (request.SourceArn is not null)
        {
            condition["ArnLike"] = new JsonObject { ["AWS:SourceArn"] = request.SourceArn };
        }

        if (condition.Count > 0)
        {
            statement["Condition"] = condition;
        }

        return statement;
    }

    private static LambdaException PolicyRevisionMismatch() =>
        LambdaErrors.PreconditionFailed("The RevisionId provided does not match the latest RevisionId for the Lambda function or alias. Call the GetFunction or the GetAlias API to retrieve the latest RevisionId for your resource.");

    [GeneratedRegex("^([a-zA-Z0-9-_.]+)$")]
    private static partial Regex StatementIdRegex();

    [GeneratedRegex("^(lambda:[*]|lambda:[a-zA-Z]+|[*])$")]
    private static partial Regex ActionRegex();

    [GeneratedRegex(@"^[^\s]+$")]
    private static partial Regex PrincipalRegex();

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountRegex();
}
