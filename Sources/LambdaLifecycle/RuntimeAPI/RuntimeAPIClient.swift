import NIOCore
import NIOHTTP1

/// A client of the Lambda Runtime API (`2018-06-01`): the calls a custom runtime makes.
///
/// `nextInvocation()` has no client timeout (the sandbox may be frozen while it is outstanding). Each call returns
/// when the API answered; a non-2xx answer throws ``LambdaAPIError/rejected(call:status:errorType:errorMessage:)``
/// with the error type the API sent. Sendable; calls are serialised on the client's own connection.
public struct RuntimeAPIClient: Sendable {
    private let connection: LambdaAPIConnection

    /// - Parameter endpoint: `AWS_LAMBDA_RUNTIME_API`, `host:port` without a scheme.
    public init(endpoint: String) throws {
        let (host, port) = try LambdaEndpoint.parse(endpoint)
        connection = LambdaAPIConnection(host: host, port: port)
    }

    /// `GET /runtime/invocation/next`: waits, without a timeout, for the next event.
    public func nextInvocation() async throws -> LambdaInvocation {
        let call = "GET /runtime/invocation/next"
        let response = try await connection.send(.GET, "/2018-06-01/runtime/invocation/next")
        if let limit = response.discardedBodyLimit, response.isSuccess,
            let requestID = response.headers.first(name: "Lambda-Runtime-Aws-Request-Id"), !requestID.isEmpty
        {
            throw LambdaAPIError.malformedInvocation(requestID: requestID, reason: "its payload exceeds \(limit) bytes")
        }
        try response.requireSuccess(call)
        return try LambdaInvocation(headers: response.headers, payload: response.body)
    }

    /// `POST /runtime/invocation/{id}/response`: delivers the handler's result; the caller gets it now.
    public func postResponse(requestID: String, body: ByteBuffer) async throws {
        let response = try await connection.send(.POST, "/2018-06-01/runtime/invocation/\(requestID)/response", body: body)
        try response.requireSuccess("POST /runtime/invocation/\(requestID)/response")
    }

    /// `POST /runtime/invocation/{id}/error`: reports the handler's failure for that invocation.
    public func postError(requestID: String, error: LambdaErrorDocument) async throws {
        let response = try await connection.send(
            .POST,
            "/2018-06-01/runtime/invocation/\(requestID)/error",
            headers: Self.errorHeaders(error),
            body: try LambdaJSON.encode(error)
        )
        try response.requireSuccess("POST /runtime/invocation/\(requestID)/error")
    }

    /// `POST /runtime/init/error`: reports a fatal initialisation error. The runtime should exit afterwards.
    public func postInitError(_ error: LambdaErrorDocument) async throws {
        let response = try await connection.send(.POST, "/2018-06-01/runtime/init/error", headers: Self.errorHeaders(error), body: try LambdaJSON.encode(error))
        try response.requireSuccess("POST /runtime/init/error")
    }

    private static func errorHeaders(_ error: LambdaErrorDocument) -> [(String, String)] {
        [
            ("Lambda-Runtime-Function-Error-Type", error.errorType),
            ("Content-Type", "application/vnd.aws.lambda.error+json"),
        ]
    }

    /// Closes the client's connection; a call in flight fails with ``LambdaAPIError/connectionClosed``.
    public func close() async {
        await connection.close()
    }
}
