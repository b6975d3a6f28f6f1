import HTTPTypes

/// Every route the service answers, as `(method, path template)`: what a 405 names in `Allow`.
/// A test holds it equal to the router's own routes, so the two cannot drift apart.
enum RouteTable {
    static let api: [(HTTPRequest.Method, String)] = [
        (.post, "/v1/pledges"), (.get, "/v1/pledges"), (.get, "/v1/pledges/{id}"), (.post, "/v1/pledges/{id}/cancel"),
        (.post, "/v1/pledges/{id}/pause"), (.post, "/v1/pledges/{id}/resume"),
        (.post, "/v1/reminders"), (.get, "/v1/reminders/due"), (.post, "/v1/reminders/{id}/sent"),
        (.get, "/v1/reports/monthly"), (.get, "/v1/reports/sources"),
        (.get, "/v1/endpoints"), (.post, "/v1/endpoints"), (.post, "/v1/endpoints/{id}/disable"),
        (.post, "/v1/endpoints/{id}/enable"), (.post, "/v1/endpoints/{id}/rotate-secret"),
        (.delete, "/v1/endpoints/{id}"), (.post, "/v1/supporters/link"),
    ]
    static let open: [(HTTPRequest.Method, String)] = [
        (.post, "/v1/webhooks/stripe"), (.post, "/v1/webhooks/standard"),
        (.get, "/healthz"), (.get, "/metrics"), (.get, "/v1/openapi.yaml"),
        (.get, "/v1/public/box"), (.post, "/v1/public/checkout"), (.post, "/v1/public/reminders"),
        (.post, "/v1/public/events"), (.options, "/v1/public/box"), (.options, "/v1/public/checkout"),
        (.options, "/v1/public/reminders"), (.options, "/v1/public/events"),
        (.get, "/box.js"), (.get, "/box.css"), (.get, "/box/frame"), (.get, "/r/confirm"), (.post, "/r/confirm"),
        (.get, "/manage"), (.post, "/manage/pause"), (.post, "/manage/change"), (.post, "/manage/cancel"),
        (.post, "/manage/resume"),
        (.get, "/manage/receipt"), (.get, "/manage/statement"),
    ]
}
