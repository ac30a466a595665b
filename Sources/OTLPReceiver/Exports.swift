// `OTLPSignal` (and the OTLP wire helpers) are part of the receiver's API: re-export them so that users need
// `import OTLPReceiver` only.
@_exported import OTLPProto
