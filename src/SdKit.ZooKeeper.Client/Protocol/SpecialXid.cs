namespace SdKit.ZooKeeper.Client.Protocol;

/// <summary>Reserved xids: replies carrying them are not answers to pipelined requests.</summary>
internal static class SpecialXid
{
    /// <summary>A watch notification sent by the server.</summary>
    public const int Notification = -1;

    /// <summary>A ping and its reply.</summary>
    public const int Ping = -2;

    /// <summary>An auth packet and its reply; handled outside the ordered pipeline, so it can overtake other replies.</summary>
    public const int Auth = -4;
}
