// An HTTP front for a topic store:
//   curl -X POST localhost:5000/topics/orders -d '{"id":1}'   -> 201 {"id":"1732464000000-0"}
//   curl 'localhost:5000/topics/orders?limit=10'              -> the first 10 records
//   curl localhost:5000/health                                -> Healthy
// The store's options come from "Engine" in appsettings.json (or Engine__Path=... in the environment).
using Engine;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddLogEngine("engine-data").BindConfiguration("Engine");
builder.Services.AddHealthChecks().AddLogEngine();
if (builder.Configuration.GetValue<bool>("Telemetry:Console"))
{
    builder.Services.AddOpenTelemetry()
        .WithMetrics(m => m.AddMeter(EngineTelemetry.MeterName).AddConsoleExporter())
        .WithTracing(t => t.AddSource(EngineTelemetry.ActivitySourceName).AddConsoleExporter());
}

var app = builder.Build();

app.MapPost("/topics/{topic}", async (string topic, HttpRequest request, ILogClient engine, CancellationToken ct) =>
{
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body, ct);
    var id = await engine.CommitAsync(topic, body.ToArray(), ct);
    return Results.Created($"/topics/{topic}?start={id}&limit=1", new { id });
});

app.MapGet("/topics/{topic}", async (string topic, string? start, string? end, int? limit, ILogClient engine, CancellationToken ct) =>
{
    var entries = await engine.RangeAsync(topic, new RangeOptions { Start = start, End = end, Limit = limit ?? 100 }, ct);
    return Results.Ok(entries.Select(e => new { e.Id, Body = e.BodyText }));
});

app.MapHealthChecks("/health");

// The engine's error codes as HTTP statuses: a topic never committed to is 404, bad input is 400.
app.Use(async (context, next) =>
{
    try
    {
        await next(context);
    }
    catch (LogEngineException e) when (!context.Response.HasStarted)
    {
        context.Response.StatusCode = e.Code switch
        {
            LogEngineError.InvalidTopic or LogEngineError.SequenceNotFound => StatusCodes.Status404NotFound,
            LogEngineError.InvalidArgument or LogEngineError.InvalidRangeOffset => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status500InternalServerError,
        };
        await context.Response.WriteAsJsonAsync(new { error = e.Code.ToString(), e.Message });
    }
});

await app.RunAsync();
