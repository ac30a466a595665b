import NIOConcurrencyHelpers
import OTLPProto

/// An exporter's gzip compressor: one ``GzipDeflater`` (zlib set up once, reused for every request
/// body) behind a lock.
///
/// Thread-safe: `compress` holds the lock while it runs, so concurrent exports take turns (a batch
/// processor exports one batch at a time, so it never waits). Hence `@unchecked Sendable`: the
/// deflater is only reached under `lock`.
final class SharedGzipDeflater: @unchecked Sendable {
    private let lock = NIOLock()
    private var deflater: GzipDeflater

    /// - Throws: `GzipError` if zlib rejects `level` or cannot allocate its state.
    init(level: Int32) throws {
        deflater = try GzipDeflater(level: level)
    }

    /// `bytes` as a single-member gzip stream.
    func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        try lock.withLock {
            try bytes.withUnsafeBytes { try deflater.compress($0) }
        }
    }
}
