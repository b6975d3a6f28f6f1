import Hummingbird
import Metrics

/// Outermost: binds this application's metrics factory to the task for the whole request, the
/// writing of its response body included, so Hummingbird's `MetricsMiddleware` (which creates its
/// counters and timers lazily, some after the body is written) records into this application's
/// registry rather than the process-wide `MetricsSystem`. Two applications in one process, as in
/// parallel tests, keep separate figures.
struct MetricsFactoryMiddleware<Context: RequestContext>: RouterMiddleware {
    let factory: any MetricsFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await withMetricsFactory(factory) { try await next(request, context) }
        let body = response.body
        let factory = factory
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            // The writer never leaves this task: the closure runs in it, before this one returns.
            nonisolated(unsafe) let writer = writer
            try await withMetricsFactory(factory) { try await body.write(writer) }
        }
        return response
    }
}
