namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>How <see cref="RawHttpServer"/> treats one request.</summary>
public enum RawAnswer
{
    Ok,

    /// <summary>Answers with <c>Connection: close</c>, then closes: requests pipelined after it go unanswered.</summary>
    OkThenClose,

    /// <summary>Closes the connection without answering this request or those after it.</summary>
    CloseWithoutAnswer,

    /// <summary>Holds the connection open and never answers.</summary>
    Never,
}
