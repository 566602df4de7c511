using System.Collections.Immutable;

namespace SdKit.Instances;

/// <summary>
/// The typed view of one <see cref="InstanceEvent"/>: the full decoded set, what did not decode, and the delta
/// relative to the previous event.
/// </summary>
/// <remarks>
/// Full-set semantics stay: <see cref="Instances"/> is always the whole set. The delta matches instances by
/// <see cref="ServiceInstance.Id"/>; an instance is changed when its id stays and a typed field differs.
/// </remarks>
public sealed class ServiceInstanceEvent
{
    internal ServiceInstanceEvent(
        InstanceEvent source,
        ImmutableArray<ServiceInstance> instances,
        ImmutableArray<InstanceDecodeFailure> failures,
        ImmutableArray<ServiceInstance> added,
        ImmutableArray<ServiceInstance> removed,
        ImmutableArray<ServiceInstance> changed)
    {
        Source = source;
        Instances = instances;
        Failures = failures;
        Added = added;
        Removed = removed;
        Changed = changed;
    }

    /// <summary>Gets an event with nothing in it.</summary>
    public static ServiceInstanceEvent Empty { get; } = new(InstanceEvent.Empty, [], [], [], [], []);

    /// <summary>Gets the event's place in its typed instancer's stream (1 for the first), so a reader can tell an older event from a newer one.</summary>
    internal long Sequence { get; init; }

    /// <summary>Gets the string event this one was decoded from.</summary>
    public InstanceEvent Source { get; }

    /// <summary>Gets every instance that decoded, sorted ordinally by id.</summary>
    public ImmutableArray<ServiceInstance> Instances { get; }

    /// <summary>Gets the strings that did not decode, with their reasons; they are left out of <see cref="Instances"/>.</summary>
    public ImmutableArray<InstanceDecodeFailure> Failures { get; }

    /// <summary>Gets the instances whose id was not in the previous event.</summary>
    public ImmutableArray<ServiceInstance> Added { get; }

    /// <summary>Gets the previous event's instances whose id is gone.</summary>
    public ImmutableArray<ServiceInstance> Removed { get; }

    /// <summary>Gets the instances (new values) whose id stayed but whose fields changed.</summary>
    public ImmutableArray<ServiceInstance> Changed { get; }

    /// <summary>Gets the error the underlying instancer last saw, or <see langword="null"/>.</summary>
    public Exception? Error => Source.Error;

    /// <inheritdoc/>
    public override string ToString()
        => $"{Instances.Length} instances (+{Added.Length} -{Removed.Length} ~{Changed.Length}), {Failures.Length} undecodable{(Error is null ? string.Empty : $", error: {Error.Message}")}";
}
