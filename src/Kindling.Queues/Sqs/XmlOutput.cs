using System.Text;
using System.Text.Json.Nodes;
using System.Xml;

namespace Kindling.Queues.Sqs;

/// <summary>Writes a JSON-shaped result as the query protocol's XML (flattened lists and maps, as SQS sends them).</summary>
internal static class XmlOutput
{
    public const string Namespace = "http://queue.amazonaws.com/doc/2012-11-05/";

    private static readonly Dictionary<string, (string Element, string Key, string Value)> Maps = new(StringComparer.Ordinal)
    {
        ["Attributes"] = ("Attribute", "Name", "Value"),
        ["MessageAttributes"] = ("MessageAttribute", "Name", "Value"),
        ["Tags"] = ("Tag", "Key", "Value"),
    };

    private static readonly XmlWriterSettings Settings = new() { OmitXmlDeclaration = true };

    public static string Response(string action, JsonObject? result, string requestId)
    {
        var builder = new StringBuilder("<?xml version=\"1.0\"?>");
        using (var writer = XmlWriter.Create(builder, Settings))
        {
            writer.WriteStartElement(action + "Response", Namespace);
            if (result is not null)
            {
                writer.WriteStartElement(action + "Result");
                WriteMembers(writer, action, result);
                writer.WriteEndElement();
            }

            writer.WriteStartElement("ResponseMetadata");
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return builder.ToString();
    }

    public static string Error(string type, string code, string message, string requestId)
    {
        var builder = new StringBuilder("<?xml version=\"1.0\"?>");
        using (var writer = XmlWriter.Create(builder, Settings))
        {
            writer.WriteStartElement("ErrorResponse", Namespace);
            writer.WriteStartElement("Error");
            writer.WriteElementString("Type", type);
            writer.WriteElementString("Code", code);
            writer.WriteElementString("Message", message);
            writer.WriteRaw("<Detail/>");
            writer.WriteEndElement();
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
        }

        return builder.ToString();
    }

    private static void WriteMembers(XmlWriter writer, string action, JsonObject json)
    {
        foreach (var (name, node) in json)
        {
            switch (node)
            {
                case null:
                    break;
                case JsonObject map when Maps.TryGetValue(name, out var shape):
                    foreach (var (key, value) in map)
                    {
                        writer.WriteStartElement(shape.Element);
                        writer.WriteElementString(shape.Key, key);
                        WriteNode(writer, action, shape.Value, value);
                        writer.WriteEndElement();
                    }

                    break;
                case JsonArray list:
                    var element = name switch
                    {
                        "QueueUrls" or "queueUrls" => "QueueUrl",
                        "Messages" => "Message",
                        "Successful" => action + "ResultEntry",
                        "Failed" => "BatchResultErrorEntry",
                        _ => name,
                    };
                    foreach (var item in list)
                    {
                        WriteNode(writer, action, element, item);
                    }

                    break;
                default:
                    WriteNode(writer, action, name, node);
                    break;
            }
        }
    }

    private static void WriteNode(XmlWriter writer, string action, string element, JsonNode? node)
    {
        writer.WriteStartElement(element);
        switch (node)
        {
            case JsonObject inner:
                WriteMembers(writer, action, inner);
                break;
            case JsonValue value when value.TryGetValue<bool>(out var flag):
                writer.WriteString(flag ? "true" : "false");
                break;
            case JsonValue value:
                writer.WriteString(value.ToString());
                break;
        }

        writer.WriteEndElement();
    }
}
