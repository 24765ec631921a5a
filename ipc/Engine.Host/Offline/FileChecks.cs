using System.Globalization;
using Engine.Checkpoints;
using Engine.Index;

namespace Engine.Host.Offline;

/// <summary>
/// What <see cref="Verifier"/> checks of a store's files as files, before reading them: files the
/// store must have that are gone, and files of the wrong length. The engine heals some of these
/// silently (a missing checkpoint slot, an index chunk grown or cut short is resized and rebuilt),
/// but each is still damage an operator should hear about.
/// </summary>
internal static class FileChecks
{
    /// <summary>
    /// Segments the newest readable checkpoint's catalog lists that are missing (the engine refuses
    /// such a store: durable data is gone), and a checkpoint slot missing although the other holds
    /// generation 2 or later (slots alternate, so both were written).
    /// </summary>
    public static void Missing(StoreFiles files, IReadOnlyList<(string File, Checkpoint Checkpoint)> checkpoints, List<Problem> problems)
    {
        if (checkpoints.Count == 0) return;
        var newest = checkpoints.MaxBy(c => c.Checkpoint.Generation);
        foreach (var basePosition in newest.Checkpoint.Segments ?? [])
            if (!files.Segments.ContainsKey(basePosition))
                problems.Add(new Problem(SegmentName(basePosition), 0, $"missing: {newest.File} (generation {newest.Checkpoint.Generation}) lists it in the log's segments"));
        if (newest.Checkpoint.Generation < 2) return;
        for (var slot = 0; slot < 2; slot++)
        {
            var name = $"checkpoint.{slot}";
            if (!File.Exists(Path.Combine(files.Root, name)))
                problems.Add(new Problem(name, 0, $"missing: {newest.File} is generation {newest.Checkpoint.Generation}, so both slots were written"));
        }
    }

    /// <summary>Index chunks whose length is not a chunk's: reported at the first byte that differs from what it should be.</summary>
    public static void IndexChunkLengths(StoreFiles files, List<Problem> problems)
    {
        foreach (var path in files.IndexChunks.Values)
        {
            var length = new FileInfo(path).Length;
            if (length != TopicIndex.ChunkFileLength)
                problems.Add(new Problem(files.Relative(path), Math.Min(length, TopicIndex.ChunkFileLength),
                    $"the file is {length} bytes, an index chunk is {TopicIndex.ChunkFileLength} ({(length < TopicIndex.ChunkFileLength ? "cut short" : "grown")})"));
        }
    }

    private static string SegmentName(long basePosition) => Path.Combine("log", basePosition.ToString("D20", CultureInfo.InvariantCulture) + ".seg");
}
