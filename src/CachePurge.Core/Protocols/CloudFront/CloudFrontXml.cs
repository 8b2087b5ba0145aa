using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CachePurge.Core.Protocols.CloudFront;

/// <summary>
/// CloudFront's XML (API version 2020-05-31): the <c>InvalidationBatch</c> sent, and the <c>Invalidation</c>,
/// <c>Distribution</c> and <c>ErrorResponse</c> read back
/// (https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateInvalidation.html). Answers are read by
/// local names: the API reference shows them without the namespace that CloudFront's own examples carry.
/// </summary>
internal static class CloudFrontXml
{
    public const string Namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    private static readonly XmlWriterSettings WriterSettings = new() { Encoding = new UTF8Encoding(false) };

    /// <summary><c>&lt;InvalidationBatch&gt;&lt;CallerReference/&gt;&lt;Paths&gt;&lt;Items&gt;&lt;Path/&gt;…&lt;/Items&gt;&lt;Quantity/&gt;&lt;/Paths&gt;&lt;/InvalidationBatch&gt;</c>, UTF-8.</summary>
    public static byte[] Write(InvalidationBatch batch)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, WriterSettings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("InvalidationBatch", Namespace);
            writer.WriteElementString("CallerReference", Namespace, batch.CallerReference);
            writer.WriteStartElement("Paths", Namespace);
            writer.WriteStartElement("Items", Namespace);
            foreach (var path in batch.Paths)
            {
                writer.WriteElementString("Path", Namespace, path);
            }

            writer.WriteEndElement();
            writer.WriteElementString("Quantity", Namespace, batch.Paths.Count.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return stream.ToArray();
    }

    /// <summary>The root element of an answer, or null when it is no XML (a proxy's page, nothing at all).</summary>
    public static async ValueTask<XElement?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var document = await XDocument.LoadAsync(stream, LoadOptions.None, cancellationToken).ConfigureAwait(false);
            return document.Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>An <c>Invalidation</c>'s id, status and path count; null for another element.</summary>
    public static (string Id, string Status, int? Quantity)? Invalidation(XElement? root)
    {
        if (root?.Name.LocalName != "Invalidation" || Text(root, "Id") is not { Length: > 0 } id)
        {
            return null;
        }

        var quantity = Child(Child(Child(root, "InvalidationBatch"), "Paths"), "Quantity")?.Value;
        return (id, Text(root, "Status") ?? "", int.TryParse(quantity, CultureInfo.InvariantCulture, out var count) ? count : null);
    }

    /// <summary>A <c>Distribution</c>'s domain name, status and invalidations in progress; null for another element.</summary>
    public static (string DomainName, string Status, string InProgress)? Distribution(XElement? root) =>
        root?.Name.LocalName == "Distribution" && Text(root, "DomainName") is { Length: > 0 } domain
            ? (domain, Text(root, "Status") ?? "", Text(root, "InProgressInvalidationBatches") ?? "?")
            : null;

    /// <summary>An <c>ErrorResponse</c>'s "Code: Message", or null for another element.</summary>
    public static string? Error(XElement? root)
    {
        var error = root?.Name.LocalName == "ErrorResponse" ? Child(root, "Error") : null;
        return error is null ? null : $"{Text(error, "Code")}: {Text(error, "Message")}";
    }

    private static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string? Text(XElement parent, string name) => Child(parent, name)?.Value;
}
