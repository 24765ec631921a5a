namespace Engine;

/// <summary>
/// The JSON body (System.Text.Json; <see cref="Body"/> as base64) of each record a proc under
/// <see cref="OnMaxReclaims.DeadLetter"/> moves to its dead-letter topic: one per record of the
/// claim that reached <c>MaxReclaims</c>. Read one back with <c>entry.BodyAs&lt;DeadLetter&gt;()</c>.
/// </summary>
/// <param name="Topic">The topic the record came from.</param>
/// <param name="Id">Its id there.</param>
/// <param name="Proc">The proc that gave up on it.</param>
/// <param name="Reclaims">The reclaims it went through (the proc's <c>MaxReclaims</c>).</param>
/// <param name="Error">A system proc's last processor failure (exception type and message); null otherwise.</param>
/// <param name="Body">The record's body.</param>
public sealed record DeadLetter(string Topic, string Id, string Proc, int Reclaims, string? Error, ReadOnlyMemory<byte> Body);
