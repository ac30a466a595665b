import NIOCore
import NIOHTTP1

/// A client of the Lambda Extensions API (`2020-01-01`) for an **internal** extension: one that runs inside the
/// runtime process.
///
/// Internal extensions may register only for `INVOKE` (Lambda refuses `SHUTDOWN`; the process gets SIGTERM
/// instead), and must register before the runtime's first `GET /runtime/invocation/next`. `nextEvent()` has no
/// client timeout. A non-2xx answer throws ``LambdaAPIError/rejected(call:status:errorType:errorMessage:)`` carrying
/// the API's error type (`Extension.RegistrationClosed`, `Extension.UnknownExtensionIdentifier`, ...).
///
/// Uses its own connection, separate from the runtime's, so the two long-polls never wait on each other.
public struct ExtensionAPIClient: Sendable {
    /// What `register` returns.
    public struct Registration: Sendable, Equatable {
        /// `Lambda-Extension-Identifier`, sent on every later call.
        public var identifier: String
        public var functionName: String?
        public var functionVersion: String?
        public var handler: String?

        public init(identifier: String, functionName: String? = nil, functionVersion: String? = nil, handler: String? = nil) {
            self.identifier = identifier
            self.functionName = functionName
            self.functionVersion = functionVersion
            self.handler = handler
        }
    }

    /// The register response body; every field optional (only the identifier header is required).
    private struct RegistrationBody: Decodable {
        var functionName: String?
        var functionVersion: String?
        var handler: String?
    }

    /// The events an extension can subscribe to.
    public enum EventType: String, Sendable, Encodable {
        case invoke = "INVOKE"
        case shutdown = "SHUTDOWN"
    }

    private let connection: LambdaAPIConnection

    /// - Parameter endpoint: `AWS_LAMBDA_RUNTIME_API`, `host:port` without a scheme.
    public init(endpoint: String) throws {
        let (host, port) = try LambdaEndpoint.parse(endpoint)
        connection = LambdaAPIConnection(host: host, port: port)
    }

    /// `POST /extension/register` with `Lambda-Extension-Name: name` and `{"events": [...]}`.
    ///
    /// The name must be unique within the function (and must not match a file in `/opt/extensions`, or Lambda
    /// takes it for that external extension).
    public func register(name: String, events: [EventType]) async throws -> Registration {
        let call = "POST /extension/register"
        let response = try await connection.send(
            .POST,
            "/2020-01-01/extension/register",
            headers: [("Lambda-Extension-Name", name), ("Content-Type", "application/json")],
            body: try LambdaJSON.encode(["events": events])
        )
        try response.requireSuccess(call)
        guard let identifier = response.headers.first(name: "Lambda-Extension-Identifier"), !identifier.isEmpty else {
            throw LambdaAPIError.malformedResponse(call: call, reason: "has no Lambda-Extension-Identifier header")
        }
        let body = try? LambdaJSON.decode(RegistrationBody.self, from: response.body)
        return Registration(identifier: identifier, functionName: body?.functionName, functionVersion: body?.functionVersion, handler: body?.handler)
    }

    /// `GET /extension/event/next`: waits, without a timeout, for the next event. Calling it tells Lambda that this
    /// extension is done with the previous one (the environment may freeze once every participant has called it).
    public func nextEvent(identifier: String) async throws -> ExtensionEvent {
        let call = "GET /extension/event/next"
        let response = try await connection.send(.GET, "/2020-01-01/extension/event/next", headers: [("Lambda-Extension-Identifier", identifier)])
        try response.requireSuccess(call)
        do {
            return try LambdaJSON.decode(ExtensionEvent.self, from: response.body)
        } catch {
            throw LambdaAPIError.malformedResponse(call: call, reason: "its event could not be read (\(error))")
        }
    }

    /// `POST /extension/init/error`: an unrecoverable initialisation failure; Lambda restarts the environment.
    public func initError(identifier: String, _ error: LambdaErrorDocument) async throws {
        try await postError("init", identifier: identifier, error)
    }

    /// `POST /extension/exit/error`: the extension is about to exit because of an error. No later call succeeds.
    public func exitError(identifier: String, _ error: LambdaErrorDocument) async throws {
        try await postError("exit", identifier: identifier, error)
    }

    private func postError(_ kind: String, identifier: String, _ error: LambdaErrorDocument) async throws {
        let response = try await connection.send(
            .POST,
            "/2020-01-01/extension/\(kind)/error",
            headers: [
                ("Lambda-Extension-Identifier", identifier),
                ("Lambda-Extension-Function-Error-Type", error.errorType),
                ("Content-Type", "application/json"),
            ],
            body: try LambdaJSON.encode(error)
        )
        try response.requireSuccess("POST /extension/\(kind)/error")
    }

    /// Closes the client's connection; a call in flight fails with ``LambdaAPIError/connectionClosed``.
    public func close() async {
        await connection.close()
    }
}
