namespace SdKit.Instances;

/// <summary>An instance string that did not decode, kept on the event so the failure is visible, never silent.</summary>
/// <param name="Raw">The registry's string.</param>
/// <param name="Reason">Why it did not decode, naming the bad value.</param>
public sealed record InstanceDecodeFailure(string Raw, string Reason);
