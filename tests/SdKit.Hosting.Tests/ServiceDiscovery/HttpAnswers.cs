namespace SdKit.Hosting.Tests.ServiceDiscovery;

/// <summary>Calls a discovered service until its answers show what a test expects.</summary>
internal static class HttpAnswers
{
    /// <summary>
    /// Calls the service until the answers satisfy <paramref name="done"/> (and, with <paramref name="consecutive"/>,
    /// keep satisfying it that many calls in a row). Every call is a real round trip; the bound is the event timeout.
    /// </summary>
    public static async Task<HashSet<string>> CollectUntilAsync(HttpClient http, Func<HashSet<string>, bool> done, bool fresh = false, int consecutive = 1)
    {
        var deadline = DateTimeOffset.UtcNow + TestTimeouts.Event;
        var seen = new HashSet<string>();
        var streak = 0;
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                var answer = await http.GetStringAsync(new Uri("/", UriKind.Relative));
                if (fresh)
                {
                    seen.Clear();
                }

                seen.Add(answer);
            }
            catch (HttpRequestException)
            {
                // A stopped server may still be chosen until the change arrives.
                seen.Clear();
                streak = 0;
                continue;
            }

            streak = done(seen) ? streak + 1 : 0;
            if (streak >= consecutive)
            {
                return seen;
            }
        }

        throw new TimeoutException($"The answers never satisfied the condition; last seen: {string.Join(", ", seen)}.");
    }
}
