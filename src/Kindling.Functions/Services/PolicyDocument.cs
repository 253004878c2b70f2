using System.Text.Json.Nodes;
using Kindling.Functions.Model;

namespace Kindling.Functions.Services;

/// <summary>Renders a stored policy as the JSON string Lambda returns.</summary>
public static class PolicyDocument
{
    /// <summary>The policy document: <c>{"Version":"2012-10-17","Id":"default","Statement":[…]}</c>.</summary>
    public static string Render(ResourcePolicy policy)
    {
        var statements = new JsonArray();
        foreach (var statement in policy.Statements)
        {
            statements.Add(statement.DeepClone());
        }

        return new JsonObject { ["Version"] = "2012-10-17", ["Id"] = "default", ["Statement"] = statements }.ToJsonString();
    }
}
