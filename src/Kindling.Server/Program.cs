using System.CommandLine;
using Kindling.Server.Cli;

var root = new RootCommand("Kindling: a self-hosted serverless platform that speaks AWS Lambda's APIs.");
root.Add(ServerCommand.Create());
root.Add(LogsCommand.Create());
root.Add(RuntimesCommand.Create());
return await root.Parse(args).InvokeAsync();
