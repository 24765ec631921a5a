using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Engine.Bridge.Nats.Tests.Support;

/// <summary>Reads a whole stream back (an ordered consumer from the first message to the last stored).</summary>
public static class StreamContents
{
    public sealed record Message(ulong Seq, string? EngineId, string? MsgId, byte[] Body);

    public static async Task<List<Message>> ReadAllAsync(NatsJSContext js, string stream)
    {
        var info = await js.GetStreamAsync(stream);
        var last = info.Info.State.LastSeq;
        var messages = new List<Message>();
        if (info.Info.State.Messages == 0) return messages;
        var consumer = await js.CreateOrderedConsumerAsync(stream);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: cts.Token))
        {
            var seq = msg.Metadata!.Value.Sequence.Stream;
            messages.Add(new Message(seq, Header(msg.Headers, MessageIds.IdHeader), Header(msg.Headers, MessageIds.MsgIdHeader), msg.Data ?? []));
            if (seq >= last) break;
        }
        return messages;
    }

    public static async Task<long> CountAsync(NatsJSContext js, string stream) => (await js.GetStreamAsync(stream)).Info.State.Messages;

    public static Task CreateAsync(NatsJSContext js, string stream, params string[] subjects) =>
        js.CreateStreamAsync(new StreamConfig(stream, subjects) { Storage = StreamConfigStorage.File }).AsTask();

    private static string? Header(NatsHeaders? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var values) ? values.ToString() : null;
}
