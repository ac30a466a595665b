import Logging
import OTelSDK
import OTLPProto

extension OTLPExporterConfiguration {
    /// Why an exporter of `signal` cannot use this configuration (it was made for another signal: its endpoint
    /// and response decoding are that signal's), or nil when it can. Reported once on `diagnostics`; the exporter
    /// then rejects every batch with this failure instead of crashing the process.
    func signalMismatch(exporting signal: OTLPSignal, diagnostics: Logger) -> ExportFailure? {
        guard self.signal != signal else { return nil }
        let failure = ExportFailure(
            "an OTLP \(signal.rawValue) exporter was given a \(self.signal.rawValue) configuration (endpoint \(endpoint)); every batch is rejected"
        )
        diagnostics.error("\(failure)")
        return failure
    }
}
