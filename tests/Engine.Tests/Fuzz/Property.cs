using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Engine.Tests.Fuzz;

/// <summary>
/// Runs a randomized property a bounded number of times within a time budget, so the whole set
/// fits in a few seconds of CI on a slow machine and still covers many cases on a fast one.
/// Every run draws one seed; iteration <c>i</c> gets its own <see cref="Random"/> derived from
/// that seed and <c>i</c>, so a failure names the seed and iteration, and setting
/// <c>ENGINE_PROPERTY_SEED=seed</c> (the whole run) or <c>ENGINE_PROPERTY_SEED=seed:iteration</c>
/// (just the failing case) replays it exactly, however fast the machine.
/// </summary>
internal static class Property
{
    public const string SeedVariable = "ENGINE_PROPERTY_SEED";

    /// <summary>The default wall-clock budget of one property.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="iteration"/> up to <paramref name="maxIterations"/> times; returns how many ran.</summary>
    public static int Check(int maxIterations, Action<Random> iteration, TimeSpan? budget = null, [CallerMemberName] string name = "")
    {
        var (seed, only) = ChooseSeed();
        var first = only ?? 0;
        var end = only is { } single ? single + 1 : maxIterations;
        var limit = budget ?? Budget;
        var clock = Stopwatch.StartNew();
        var ran = 0;
        for (var i = first; i < end; i++)
        {
            // At least one iteration always runs, so a slow machine still tests something.
            if (ran > 0 && clock.Elapsed > limit) break;
            try
            {
                iteration(new Random(IterationSeed(seed, i)));
            }
            catch (Exception e)
            {
                throw new PropertyFailedException(
                    $"{name} failed at iteration {i} of seed {seed}; replay with {SeedVariable}={seed}:{i}{Environment.NewLine}{e.GetType().Name}: {e.Message}", e);
            }
            ran++;
        }
        return ran;
    }

    private static (int Seed, int? Only) ChooseSeed()
    {
        var value = Environment.GetEnvironmentVariable(SeedVariable);
        if (string.IsNullOrEmpty(value)) return (Random.Shared.Next(), null);
        var parts = value.Split(':');
        var seed = int.Parse(parts[0], CultureInfo.InvariantCulture);
        return parts.Length > 1 ? (seed, int.Parse(parts[1], CultureInfo.InvariantCulture)) : (seed, null);
    }

    // Not HashCode.Combine: it is randomized per process, and a seed must replay across runs.
    private static int IterationSeed(int seed, int iteration)
    {
        var x = ((ulong)(uint)seed << 32) | (uint)iteration;
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        x ^= x >> 33;
        return (int)x;
    }
}

/// <summary>A property failed; the message says how to replay it.</summary>
internal sealed class PropertyFailedException(string message, Exception inner) : Exception(message, inner);
