import CZlib

/// gzip (RFC 1952) compression and decompression with zlib, as used for
/// `Content-Encoding: gzip` OTLP/HTTP bodies.
public enum Gzip {
    /// zlib `windowBits` for the gzip container: 15 (32 KiB window) + 16 (gzip wrapper).
    static let windowBits: Int32 = 15 + 16

    /// Input and output are handed to zlib's `inflate` in pieces of at most this size, which also
    /// keeps every count within zlib's 32-bit `uInt`.
    private static let chunkSize = 64 * 1024

    /// Compresses `bytes` into a single-member gzip stream with zlib `deflate`.
    ///
    /// - Parameters:
    ///   - bytes: The data to compress (may be empty).
    ///   - level: zlib compression level, 0 (store) to 9 (smallest), or -1 for zlib's default.
    /// - Returns: The gzip stream: header, deflate data, CRC-32 and length trailer.
    /// - Throws: `GzipError` with reason `.zlib` for an invalid level or if zlib fails.
    ///
    /// Sets zlib up for this one call; ``GzipDeflater`` keeps that state for many bodies.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        var deflater = try GzipDeflater(level: level)
        return try bytes.withUnsafeBytes { try deflater.compress($0) }
    }

    /// Decompresses a gzip stream with zlib `inflate`, refusing to produce more than
    /// `maxOutputBytes` bytes.
    ///
    /// Several gzip members one after another (RFC 1952 section 2.2) decompress to the
    /// concatenation of their contents. The output limit is checked while inflating, so a
    /// small "zip bomb" input fails after producing at most about `maxOutputBytes` plus one
    /// 64 KiB chunk, whatever it claims to expand to.
    ///
    /// - Parameters:
    ///   - bytes: The gzip stream (`Content-Encoding: gzip` body).
    ///   - maxOutputBytes: The most decompressed bytes accepted; must not be negative.
    /// - Returns: The decompressed data.
    /// - Throws: `GzipError` with reason `.corrupt` or `.truncated` for input that is not a
    ///   complete, valid gzip stream (empty input included), `.outputLimitExceeded` when the
    ///   output would be larger than `maxOutputBytes`, `.zlib` if zlib itself fails.
    public static func decompress(_ bytes: [UInt8], maxOutputBytes: Int) throws -> [UInt8] {
        precondition(maxOutputBytes >= 0, "maxOutputBytes must not be negative")
        guard !bytes.isEmpty else { throw GzipError(.truncated) }

        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw GzipError(.zlib(code: initStatus, detail: "inflateInit2 failed"))
        }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        try bytes.withUnsafeBufferPointer { input in
            var offset = 0
            var memberEnded = false
            while true {
                if stream.avail_in == 0 {
                    if offset == input.count {
                        // All input consumed: fine only right after the end of a member.
                        guard memberEnded else { throw GzipError(.truncated) }
                        return
                    }
                    let inputCount = min(input.count - offset, chunkSize)
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
                    stream.avail_in = uInt(inputCount)
                    offset += inputCount
                }
                if memberEnded {
                    // More bytes follow a complete member: they must be another member.
                    guard inflateReset(&stream) == Z_OK else {
                        throw GzipError(.zlib(code: Z_STREAM_ERROR, detail: "inflateReset failed"))
                    }
                    memberEnded = false
                }
                let produced: Int = try chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    switch status {
                    case Z_STREAM_END:
                        memberEnded = true
                    case Z_OK, Z_BUF_ERROR:
                        break
                    case Z_DATA_ERROR, Z_NEED_DICT:
                        throw GzipError(.corrupt(detail: zlibMessage(stream, fallback: "invalid gzip data")))
                    default:
                        throw GzipError(.zlib(code: status, detail: zlibMessage(stream, fallback: "inflate failed")))
                    }
                    return out.count - Int(stream.avail_out)
                }
                guard produced <= maxOutputBytes - output.count else {
                    throw GzipError(.outputLimitExceeded(limit: maxOutputBytes))
                }
                output.append(contentsOf: chunk[0..<produced])
            }
        }
        return output
    }

    /// zlib's `msg` for the last error on `stream`, or `fallback` when zlib set none.
    private static func zlibMessage(_ stream: z_stream, fallback: String) -> String {
        guard let message = stream.msg else { return fallback }
        return String(cString: message)
    }
}
