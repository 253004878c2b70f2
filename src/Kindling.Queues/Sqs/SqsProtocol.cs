namespace Kindling.Queues.Sqs;

/// <summary>The two wire protocols SQS clients speak.</summary>
public enum SqsProtocol
{
    /// <summary>AWS JSON 1.0 with <c>X-Amz-Target: AmazonSQS.Op</c> (boto3, current SDKs).</summary>
    Json,

    /// <summary>Form-encoded <c>Action=Op&amp;Version=2012-11-05</c> with XML responses (older AWS CLI v2 and SDKs).</summary>
    Query,
}
