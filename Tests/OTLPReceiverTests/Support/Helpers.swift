import NIOCore
import NIOPosix
import OTLPReceiver

/// Starts a receiver, runs `body`, and stops the receiver whatever happens.
func withReceiver<T>(
    _ configuration: OTLPReceiver.Configuration = .init(),
    _ body: (OTLPReceiver) async throws -> T
) async throws -> T {
    let receiver = try await OTLPReceiver.start(configuration: configuration)
    do {
        let result = try await body(receiver)
        try await receiver.stop()
        return result
    } catch {
        try? await receiver.stop()
        throw error
    }
}

/// Opens a connection to `receiver`, runs `body`, and closes the connection whatever happens.
func withConnection<T>(
    to receiver: OTLPReceiver,
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    _ body: (TestHTTPConnection) async throws -> T
) async throws -> T {
    let connection = try await TestHTTPConnection.connect(port: receiver.port, group: group)
    do {
        let result = try await body(connection)
        await connection.close()
        return result
    } catch {
        await connection.close()
        throw error
    }
}

/// The gRPC status code in a `google.rpc.Status` body (field 1, varint), or `nil` when it does not start with it.
func rpcStatusCode(_ body: [UInt8]) -> Int? {
    guard body.count >= 2, body[0] == 0x08, body[1] < 0x80 else { return nil }
    return Int(body[1])
}
