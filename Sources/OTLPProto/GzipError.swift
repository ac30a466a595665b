/// Thrown by `Gzip` when zlib cannot compress or decompress.
public struct GzipError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        /// The input is not gzip data, or it is damaged (bad header, bad deflate data, or a
        /// CRC-32/length trailer that does not match). `detail` is zlib's message.
        case corrupt(detail: String)
        /// The input ends before the end of the gzip stream.
        case truncated
        /// Decompressing would produce more than `limit` bytes (the zip-bomb guard).
        case outputLimitExceeded(limit: Int)
        /// zlib failed for another reason (invalid compression level, out of memory, ...).
        /// `code` is zlib's return code (e.g. `Z_STREAM_ERROR`, `Z_MEM_ERROR`).
        case zlib(code: Int32, detail: String)
    }

    /// What went wrong.
    public var reason: Reason

    /// Creates an error for `reason`.
    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .corrupt(let detail):
            return "gzip: corrupt input: \(detail)"
        case .truncated:
            return "gzip: truncated input: the gzip stream ends early"
        case .outputLimitExceeded(let limit):
            return "gzip: decompressed output would exceed the limit of \(limit) byte(s)"
        case .zlib(let code, let detail):
            return "gzip: zlib error \(code): \(detail)"
        }
    }
}
