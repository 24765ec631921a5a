namespace Engine.Bench.Measuring;

/// <summary>
/// What a scan read: its records, their body bytes, and the sum of one byte of each body. The sum
/// proves that every body was touched (each body's byte is known, so the total is too) and keeps
/// the reads from being optimised away, for Engine and for the baselines alike.
/// </summary>
internal readonly record struct ScanTotals(long Records, long Bytes, long ByteSum)
{
    /// <summary>The byte of a body that scans sum: the first, the one every reader reaches.</summary>
    public static int ProbedByte(ReadOnlySpan<byte> body) => body.IsEmpty ? 0 : body[0];

    /// <summary>The byte sum of a scan that touched each of <paramref name="records"/> records carrying <paramref name="body"/>.</summary>
    public static long ByteSumOf(long records, ReadOnlySpan<byte> body) => records * ProbedByte(body);

    /// <summary>The totals after one more body.</summary>
    public ScanTotals Add(ReadOnlySpan<byte> body) => new(Records + 1, Bytes + body.Length, ByteSum + ProbedByte(body));
}
