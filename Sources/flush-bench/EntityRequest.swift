/// The API Gateway HTTP API (v2) event of `GET /entities/{id}`, the request every invocation of the bench sends.
enum EntityRequest {
    /// The event's JSON for entity `id`.
    static func payload(id: Int) -> [UInt8] {
        let path = "/entities/\(id)"
        return Array(
            """
            {"version":"2.0","routeKey":"GET /entities/{id}","rawPath":"\(path)","headers":{},\
            "pathParameters":{"id":"\(id)"},"requestContext":{"http":{"method":"GET","path":"\(path)"}},"isBase64Encoded":false}
            """.utf8
        )
    }

    /// Spans that `example-entity-api` records per request (its `EntityHandler.spansPerRequest`): the invocation span,
    /// `validate`, `load`, `render` and the deferred `audit`.
    static let spansPerRequest = 5
}
