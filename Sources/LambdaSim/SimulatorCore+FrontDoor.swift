import NIOCore
import NIOHTTP1

/// The front door, compatible with AWS's Runtime Interface Emulator, plus an admin shutdown endpoint.
extension SimulatorCore {
    func handleFrontDoor(_ request: SimHTTPRequest, _ responder: SimHTTPResponder) {
        let path = request.path.split(separator: "/").map(String.init)
        let isInvoke = path.count == 4 && path[0] == "2015-03-31" && path[1] == "functions" && path[3] == "invocations"
        switch (request.method, isInvoke ? "invoke" : path.joined(separator: "/")) {
        case (.POST, "invoke"):
            guard request.bodySize <= Self.maxRequestBytes else {
                responder.respond(
                    .payloadTooLarge,
                    body: APIError("RequestEntityTooLargeException", "Request must be smaller than \(Self.maxRequestBytes) bytes").json
                )
                return
            }
            invoke(payload: request.body, headers: request.headers).assumeIsolated().whenSuccess { response in
                responder.respond(HTTPResponseStatus(statusCode: response.status), headers: response.headers.map { ($0.name, $0.value) }, body: response.body)
            }
        case (.POST, "shutdown"):
            responder.respond(.accepted, body: Array(#"{"status":"OK"}"#.utf8))
            requestShutdown()
        default:
            responder.respond(.notFound, body: APIError("NotFound", "no route for \(request.method) \(request.path)").json)
        }
    }
}
