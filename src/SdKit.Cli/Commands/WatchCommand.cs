using System.CommandLine;
using System.Globalization;
using System.Threading.Channels;
using SdKit.Cli.Backends;
using SdKit.Cli.Output;
using SdKit.Instances;
using SdKit.Instances.Codecs;

namespace SdKit.Cli.Commands;

/// <summary><c>sdkit watch</c>: the whole instance set under the path, again after every change, until Ctrl-C.</summary>
internal static class WatchCommand
{
    public static Command Create(BackendOptions backendOptions, TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = "print one line {\"instances\":[...],\"error\":null} per change; with --format also \"format\", \"typed\" and \"failures\"" };
        var count = new Option<int?>("--count") { Description = "stop after this many changes (the first set counts)" };
        count.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError("--count must be at least 1");
            }
        });
        var format = FormatOption.Create("decode the instances in this format and print their typed fields with --json");
        var command = new Command("watch", "Print the instances under --path now and after every change, until Ctrl-C.") { json, count, format };
        command.SetGuardedAction(error, async (result, cancellationToken) =>
        {
            var backend = new Backend(backendOptions.Read(result));
            await using var client = await backend.ConnectAsync(RegistrationLayout.Protected, cancellationToken).ConfigureAwait(false);
            await using var instancer = new Instancer(client, backend.Settings.Path);
            var events = Channel.CreateUnbounded<InstanceEvent>();
            using var subscription = instancer.Subscribe(new ChannelObserver(events.Writer));
            var asJson = result.GetValue(json);
            var chosen = result.GetValue(format);
            var codec = chosen is null ? null : InstanceFormats.CreateCodec(chosen, backend.Settings.Path);
            var remaining = result.GetValue(count) ?? int.MaxValue;
            var first = true;
            await foreach (var change in events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // The instancer replays an empty set before its first snapshot; the probe in ConnectAsync already
                // proved the registry answers, so wait for the real first snapshot unless it is empty too.
                if (first && ReferenceEquals(change, InstanceEvent.Empty) && events.Reader.Count == 0)
                {
                    first = false;
                    if (await WaitBrieflyAsync(events.Reader, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }
                }

                first = false;
                await output.WriteLineAsync(asJson ? InstancesJson.Format(change.Instances, change.Error?.Message, chosen, codec) : Describe(change)).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (--remaining == 0)
                {
                    break;
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<bool> WaitBrieflyAsync(ChannelReader<InstanceEvent> reader, CancellationToken cancellationToken)
    {
        using var brief = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        brief.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            return await reader.WaitToReadAsync(brief.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string Describe(InstanceEvent change)
    {
        var time = TimeProvider.System.GetLocalNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var instances = change.Instances.IsEmpty ? "(none)" : string.Join(' ', change.Instances);
        return change.Error is null
            ? $"{time} {change.Instances.Length} instance(s): {instances}"
            : $"{time} {change.Instances.Length} instance(s), stale: {instances} (error: {change.Error.Message})";
    }

    private sealed class ChannelObserver(ChannelWriter<InstanceEvent> writer) : IObserver<InstanceEvent>
    {
        public void OnNext(InstanceEvent value) => writer.TryWrite(value);

        public void OnError(Exception error) => writer.TryComplete(error);

        public void OnCompleted() => writer.TryComplete();
    }
}
