using Microsoft.Extensions.Logging;

namespace SdKit.Hosting.Registration;

/// <summary>
/// The hosted registration's log messages. Registrations and deregistrations themselves are logged once, by the
/// <see cref="SdKit.Registration.Registrar"/> (which knows the key written); this service logs only what the registrar
/// cannot see: startup attempts it gave up on and settings that make no entry.
/// </summary>
internal sealed partial class RegistrationHostedService
{
    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Warning, "Registering '{Instance}' under '{ServicePath}' failed (attempt {Attempt}); retrying in {Delay}.", EventName = "RegisterFailed")]
        public static partial void RegisterFailed(ILogger logger, Exception exception, string servicePath, string instance, int attempt, TimeSpan delay);

        [LoggerMessage(4, LogLevel.Warning, "Deregistering '{Instance}' from '{ServicePath}' failed; the entry ends with the session or lease.", EventName = "DeregisterFailed")]
        public static partial void DeregisterFailed(ILogger logger, Exception exception, string servicePath, string instance);

        [LoggerMessage(6, LogLevel.Information, "'{Instance}' was never registered under '{ServicePath}' (the registry had not accepted it when the host stopped); nothing was left to deregister.", EventName = "NeverRegistered")]
        public static partial void NeverRegistered(ILogger logger, string servicePath, string instance);

        [LoggerMessage(7, LogLevel.Information, "'{Instance}' is out of '{ServicePath}'; serving on for the drain delay of {Delay} before stopping.", EventName = "Draining")]
        public static partial void Draining(ILogger logger, string servicePath, string instance, TimeSpan delay);

        [LoggerMessage(8, LogLevel.Warning, "The drain delay of '{Instance}' was cut short by the host's shutdown timeout.", EventName = "DrainCutShort")]
        public static partial void DrainCutShort(ILogger logger, string instance);

        [LoggerMessage(5, LogLevel.Error, "The registration settings cannot make a service entry; nothing is registered.", EventName = "RegistrationInvalid")]
        public static partial void RegistrationInvalid(ILogger logger, Exception exception);
    }
}
