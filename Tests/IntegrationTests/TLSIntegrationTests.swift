import Foundation
import NIOSSL
import OTelSDK
import OTelTesting
import OTLPHTTP
import OTLPReceiver
import Testing

/// HTTPS endpoints: a receiver with a self-signed certificate made by `openssl` for this test.
@Suite("Export over HTTPS", .timeLimit(.minutes(5)))
struct TLSIntegrationTests {
    /// A fresh self-signed certificate for 127.0.0.1 and localhost.
    private func makeCertificate() async throws -> (certificate: String, key: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otlp-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
            "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        // Wait without blocking a thread of the cooperative pool: timing-sensitive tests run beside this one.
        let exited = AsyncStream<Void> { continuation in
            openssl.terminationHandler = { _ in continuation.finish() }
        }
        try openssl.run()
        for await _ in exited {}
        try #require(openssl.terminationStatus == 0, "openssl could not make a certificate; run `bash scripts/setup.sh`")
        return (certificate, key)
    }

    private func startReceiver(_ files: (certificate: String, key: String)) async throws -> OTLPReceiver {
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(files.certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: files.key, format: .pem))
        )
        return try await OTLPReceiver.start(configuration: .init(tls: tls))
    }

    @Test("an https endpoint whose CA is given by OTEL_EXPORTER_OTLP_CERTIFICATE receives every span")
    func httpsWithConfiguredCA() async throws {
        let files = try await makeCertificate()
        let receiver = try await startReceiver(files)
        #expect(receiver.endpoint.hasPrefix("https://"))
        let environment = OTelEnvironment([
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
            "OTEL_EXPORTER_OTLP_CERTIFICATE": files.certificate,
            "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip",
            "OTEL_SERVICE_NAME": "tls-test",
        ], diagnostics: DiagnosticLogger.disabled)
        let provider = TracerProvider.otlp(environment: environment)
        let tracer = provider.tracer()
        for index in 0..<25 {
            tracer.withSpan("secure-\(index)") { _ in }
        }
        let result = await provider.forceFlush(deadline: .now + .seconds(10))
        #expect(result.outcome == .ok)
        #expect(receiver.summary.traces.items == 25)
        _ = await provider.shutdown(deadline: .now + .seconds(2))
        try await receiver.stop()
    }

    @Test("a client certificate without its key, or a key without its certificate, is reported", arguments: [
        ("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "OTEL_EXPORTER_OTLP_CLIENT_KEY is not"),
        ("OTEL_EXPORTER_OTLP_CLIENT_KEY", "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE is not"),
    ])
    func halfMutualTLS(variable: String, complaint: String) async throws {
        let lines = LogCapture()
        let environment = OTelEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": "https://127.0.0.1:4318", variable: "/nonexistent.pem"], diagnostics: lines.logger)
        let provider = TracerProvider.otlp(environment: environment)
        #expect(lines.messages.contains { $0.contains(complaint) }, "\(lines.messages)")
        _ = await provider.shutdown(deadline: .now + .milliseconds(100))
    }

    @Test("an https endpoint with an untrusted certificate delivers nothing and keeps the spans")
    func httpsUntrusted() async throws {
        let files = try await makeCertificate()
        let receiver = try await startReceiver(files)
        let lines = LogCapture()
        let environment = OTelEnvironment(["OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint], diagnostics: lines.logger)
        let provider = TracerProvider.otlp(environment: environment)
        provider.tracer().withSpan("untrusted") { _ in }
        let result = await provider.forceFlush(deadline: .now + .seconds(1))
        #expect(result.outcome != .ok)
        #expect(result.pending == 1)
        #expect(receiver.summary.traces.items == 0)
        _ = await provider.shutdown(deadline: .now + .milliseconds(100))
        try await receiver.stop()
    }
}
