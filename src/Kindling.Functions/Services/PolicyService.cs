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
        var target = await ResolveAsync(functionName, qualifier, cancellationToken);
        var (name, key, resource) = (target.Name, target.Key, target.Resource);
        var existing = await functions.Documents.GetAsync<ResourcePolicy>(Tables.Policy, name, key, cancellationToken);
        if (request.RevisionId is not null && request.RevisionId != target.RevisionId)
        {
            throw LambdaErrors.RevisionMismatch();
        }

        var statements = existing?.Value.Statements ?? [];
        if (statements.Any(s => (string?)s["Sid"] == request.StatementId))
        {
            throw LambdaErrors.Conflict($"The statement id ({request.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.");
        }

        var statement = BuildStatement(request, resource);
        var revision = Guid.NewGuid().ToString();
        var policy = new ResourcePolicy([.. statements, statement], revision);
        var rendered = PolicyDocument.Render(policy);
        if (rendered.Length > MaxPolicyBytes)
        {
            throw new LambdaException(System.Net.HttpStatusCode.BadRequest, "PolicyLengthExceededException",
                $"The final policy size ({rendered.Length}) is bigger than the limit ({MaxPolicyBytes}).");
        }

        try
        {
            await functions.Documents.WriteAsync(
                [Documents.Put(Tables.Policy, name, key, policy, existing?.Version ?? 0), target.WithRevision(revision)],
                cancellationToken);
        }
        catch (StoreConditionFailedException)
        {
            throw LambdaErrors.RevisionMismatch();
        }

        return statement.ToJsonString();
    }

    /// <summary>GetPolicy.</summary>
    public async Task<(string Policy, string RevisionId)> GetAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var target = await ResolveAsync(functionName, qualifier, cancellationToken);
        var policy = await functions.Documents.GetAsync<ResourcePolicy>(Tables.Policy, target.Name, target.Key, cancellationToken);
        if (policy is null || policy.Value.Statements.Count == 0)
        {
            throw LambdaErrors.NotFound("The resource you requested does not exist.");
        }

        return (PolicyDocument.Render(policy.Value), target.RevisionId);
    }

    /// <summary>RemovePermission.</summary>
    public async Task RemoveAsync(string functionName, string statementId, string? qualifier, string? revisionId, CancellationToken cancellationToken)
    {
        var target = await ResolveAsync(functionName, qualifier, cancellationToken);
        var (name, key) = (target.Name, target.Key);
        var policy = await functions.Documents.GetAsync<ResourcePolicy>(Tables.Policy, name, key, cancellationToken);
        if (policy is null || policy.Value.Statements.Count == 0)
        {
            throw LambdaErrors.NotFound("No policy is associated with the given resource.");
        }

        if (!policy.Value.Statements.Any(s => (string?)s["Sid"] == statementId))
        {
            throw LambdaErrors.NotFound($"Statement {statementId} is not found in resource policy.");
        }

        if (revisionId is not null && revisionId != target.RevisionId)
        {
            throw LambdaErrors.RevisionMismatch();
        }

        var revision = Guid.NewGuid().ToString();
        var remaining = policy.Value.Statements.Where(s => (string?)s["Sid"] != statementId).ToList();
        try
        {
            await functions.Documents.WriteAsync(
                [
                    remaining.Count == 0
                        ? new DeleteItem(Tables.Policy, name, key, policy.Version)
                        : Documents.Put(Tables.Policy, name, key, new ResourcePolicy(remaining, revision), policy.Version),
                    target.WithRevision(revision),
                ],
                cancellationToken);
        }
        catch (StoreConditionFailedException)
        {
            throw LambdaErrors.RevisionMismatch();
        }
    }

    /// <summary>The statements that apply to a function name and qualifier (for authorization checks).</summary>
    public async Task<IReadOnlyList<JsonObject>> StatementsAsync(string name, string? qualifier, CancellationToken cancellationToken) =>
        (await functions.Documents.GetAsync<ResourcePolicy>(Tables.Policy, name, qualifier ?? "", cancellationToken))?.Value.Statements ?? [];

    /// <summary>
    /// The resource a policy belongs to: <c>$LATEST</c>, a version or an alias. Its RevisionId is the policy's:
    /// changing the policy changes it, as in Lambda.
    /// </summary>
    private async Task<PolicyTarget> ResolveAsync(string functionName, string? qualifier, CancellationToken cancellationToken)
    {
        var reference = functions.Parse(functionName, qualifier);
        var resource = functions.Account.FunctionArn(reference.Name, reference.Qualifier);
        var key = reference.Qualifier ?? "";
        if (reference.Qualifier is { } alias && alias != "$LATEST" && !FunctionStore.IsVersionNumber(alias))
        {
            _ = await functions.RequireLatestAsync(reference.Name, cancellationToken);
            var stored = await functions.GetAliasAsync(reference.Name, alias, cancellationToken)
                ?? throw LambdaErrors.FunctionNotFound(resource);
            return new PolicyTarget(reference.Name, key, resource, stored.Value.RevisionId,
                revision => Documents.Put(Tables.Alias, reference.Name, alias, stored.Value with { RevisionId = revision }, stored.Version));
        }

        var sort = Tables.VersionKey(reference.Qualifier ?? "$LATEST");
        var version = await functions.Documents.GetAsync<FunctionVersionRecord>(Tables.Function, reference.Name, sort, cancellationToken)
            ?? throw LambdaErrors.FunctionNotFound(resource);
        return new PolicyTarget(reference.Name, key, resource, version.Value.Configuration.RevisionId,
            revision => Documents.Put(Tables.Function, reference.Name, sort,
                version.Value with { Configuration = version.Value.Configuration with { RevisionId = revision } }, version.Version));
    }

    private sealed record PolicyTarget(string Name, string Key, string Resource, string RevisionId, Func<string, StoreWrite> WithRevision);

    private static JsonObject BuildStatement(AddPermissionRequest request, string resource)
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

    [GeneratedRegex("^([a-zA-Z0-9-_.]+)$")]
    private static partial Regex StatementIdRegex();

    [GeneratedRegex("^(lambda:[*]|lambda:[a-zA-Z]+|[*])$")]
    private static partial Regex ActionRegex();

    [GeneratedRegex(@"^[^\s]+$")]
    private static partial Regex PrincipalRegex();

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountRegex();
}
