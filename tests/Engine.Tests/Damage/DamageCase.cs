namespace Engine.Tests.Damage;

/// <summary>
/// One way of damaging one file of a store copy.
/// </summary>
/// <param name="Name">What is done, for failure messages (file, offset, field).</param>
/// <param name="File">The damaged file, relative to the store, as the engine names it in messages.</param>
/// <param name="FileOffset">The first damaged byte of the file: a <c>Corrupted</c> error may name no later byte.</param>
/// <param name="LostFrom">
/// The log position from which records may be lost or reported corrupted; every record whose
/// frame ends at or before it must read back exactly. Null when the damage touches no log bytes
/// (an index, a checkpoint, a leftover file): then nothing may be lost and nothing is corrupted.
/// </param>
/// <param name="Apply">Damages the copy in the given store directory.</param>
internal sealed record DamageCase(string Name, string File, long FileOffset, long? LostFrom, Action<string> Apply)
{
    public override string ToString() => Name;

    public static DamageCase Truncate(string file, long length, long? lostFrom, string what) =>
        new($"{file}: truncated to {length} ({what})", file, length, lostFrom, root =>
        {
            using var stream = new FileStream(Path.Combine(root, file), FileMode.Open, FileAccess.Write);
            stream.SetLength(length);
        });

    public static DamageCase Append(string file, int count, int seed) =>
        new($"{file}: {count} bytes appended", file, long.MaxValue, null, root =>
        {
            var garbage = new byte[count];
            new Random(seed).NextBytes(garbage);
            using var stream = new FileStream(Path.Combine(root, file), FileMode.Append, FileAccess.Write);
            stream.Write(garbage);
        });

    public static DamageCase Flip(string file, long offset, int bit, long? lostFrom, string what) =>
        new($"{file}: bit {bit} of byte {offset} flipped ({what})", file, offset, lostFrom, root =>
        {
            using var stream = new FileStream(Path.Combine(root, file), FileMode.Open, FileAccess.ReadWrite);
            var one = new byte[1];
            RandomAccess.Read(stream.SafeFileHandle, one, offset);
            one[0] ^= (byte)(1 << bit);
            RandomAccess.Write(stream.SafeFileHandle, one, offset);
        });

    public static DamageCase Delete(string file, long? lostFrom) =>
        new($"{file}: deleted", file, 0, lostFrom, root => System.IO.File.Delete(Path.Combine(root, file)));

    /// <summary>A file that is not part of the store appears (a leftover of a crash, or junk).</summary>
    public static DamageCase Add(string file, byte[] content, string what) =>
        new($"{file}: appears ({what})", file, long.MaxValue, null, root =>
        {
            var path = Path.Combine(root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            System.IO.File.WriteAllBytes(path, content);
        });
}
