using Etcdserverpb;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Mvccpb;

namespace SdKit.Etcd;

/// <summary>
/// The listings that start (and, after a compaction, restart) the client's watches. A listing asked for while
/// <see cref="MaxInFlight"/> others are on their way waits and goes with the next batch: up to <see cref="MaxBatch"/>
/// prefixes in one read-only transaction, which etcd answers from one revision. 10,000 Instancers starting at once so
/// cost etcd about 80 reads instead of 10,000; a single watch is listed alone, exactly as before.
/// </summary>
/// <remarks>
/// A refusal inside a batch (one prefix the user may not read) refuses the whole transaction, so then each prefix of
/// that batch is listed again on its own and gets its own answer. Any other failure of a batch (no answer in time,
/// member unreachable) is what each of its listings would have met: each gets it, naming its own prefix.
/// </remarks>
internal sealed class PrefixLister(EtcdConnection connection)
{
    /// <summary>etcd's default limit of operations in one transaction (<c>--max-txn-ops</c>).</summary>
    public const int MaxBatch = 128;

    /// <summary>How many listings (single or batched) may be on their way at once before new ones wait for a batch.</summary>
    public const int MaxInFlight = 4;

    private readonly object _gate = new();
    private readonly Queue<Pending> _waiting = new();
    private int _inFlight;

    /// <summary>Lists the keys below <paramref name="prefix"/>, with the revision of the read.</summary>
    public async Task<(RepeatedField<KeyValue> Kvs, long Revision)> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        Pending? pending = null;
        lock (_gate)
        {
            if (_inFlight < MaxInFlight && _waiting.Count == 0)
            {
                _inFlight++;
            }
            else
            {
                pending = new Pending(prefix, cancellationToken);
                _waiting.Enqueue(pending);
            }
        }

        if (pending is null)
        {
            try
            {
                return await ListOneAsync(prefix, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Done();
            }
        }

        // The result never faults, so a caller that stopped waiting leaves no unobserved exception behind.
        var result = await pending.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return result.Failure is null ? (result.Kvs!, result.Revision) : throw result.Failure;
    }

    private async Task<(RepeatedField<KeyValue> Kvs, long Revision)> ListOneAsync(string prefix, CancellationToken cancellationToken)
    {
        var request = RangeOf(prefix);
        var response = await connection.CallAsync("list", prefix,
            (deadline, ct) => connection.Client.GetAsync(request, deadline: deadline, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        return (response.Kvs, response.Header.Revision);
    }

    /// <summary>One listing ended: when others wait, the freed place takes the next batch of them.</summary>
    private void Done()
    {
        List<Pending>? batch = null;
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _inFlight--;
            }
            else
            {
                batch = new List<Pending>(Math.Min(MaxBatch, _waiting.Count));
                while (batch.Count < MaxBatch && _waiting.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
            }
        }

        if (batch is not null)
        {
            _ = Task.Run(() => ListBatchAsync(batch));
        }
    }

    private async Task ListBatchAsync(List<Pending> batch)
    {
        try
        {
            var transaction = new TxnRequest();
            foreach (var pending in batch)
            {
                transaction.Success.Add(new RequestOp { RequestRange = RangeOf(pending.Prefix) });
            }

            var response = await connection.CallAsync("list", $"{batch.Count} prefixes",
                (deadline, ct) => connection.Client.TransactionAsync(transaction, deadline: deadline, cancellationToken: ct),
                CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(new Listing(response.Responses[i].ResponseRange.Kvs, response.Header.Revision, null));
            }
        }
        catch (EtcdException ex) when (!ex.IsTransient)
        {
            // One refused prefix refuses the whole transaction: list each on its own, so each gets its own answer.
            foreach (var pending in batch)
            {
                await ListAloneAsync(pending).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Every listing of the batch gets the failure; none may be left waiting.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var pending in batch)
            {
                var transient = ex is not EtcdException { IsTransient: false };
                pending.Result.TrySetResult(new Listing(null, 0, new EtcdException($"{ex.Message} (listing '{pending.Prefix}' with {batch.Count - 1} other prefixes)", ex, transient)));
            }
        }
        finally
        {
            Done();
        }
    }

    private async Task ListAloneAsync(Pending pending)
    {
        try
        {
            var (kvs, revision) = await ListOneAsync(pending.Prefix, pending.CancellationToken).ConfigureAwait(false);
            pending.Result.TrySetResult(new Listing(kvs, revision, null));
        }
#pragma warning disable CA1031 // The failure is the caller's answer, handed over as a value.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            pending.Result.TrySetResult(new Listing(null, 0, ex));
        }
    }

    private static RangeRequest RangeOf(string prefix)
    {
        var start = ByteString.CopyFromUtf8(prefix);
        return new RangeRequest { Key = start, RangeEnd = EtcdKeys.RangeEnd(start) };
    }

    /// <summary>A listing's answer, or its failure, as a value: the task holding it never faults.</summary>
    private sealed record Listing(RepeatedField<KeyValue>? Kvs, long Revision, Exception? Failure);

    /// <summary>A listing waiting for a batch.</summary>
    private sealed class Pending(string prefix, CancellationToken cancellationToken)
    {
        public string Prefix { get; } = prefix;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<Listing> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
