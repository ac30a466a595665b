/// Hides the parts of a URL that may carry credentials before the URL is written to a log line: the userinfo
/// (`https://user:token@host` → `https://<redacted>@host`) and the query (`/v1/traces?api-key=…` →
/// `/v1/traces?<redacted>`). Works on any text, well-formed or not, so that a malformed endpoint can be reported
/// without printing its secret.
package enum URLRedaction {
    package static func redacted(_ url: some StringProtocol) -> String {
        var text = Substring(url)
        var result = ""
        if let separator = text.firstRange(of: "://") {
            result += text[..<separator.upperBound]
            text = text[separator.upperBound...]
        }
        let authorityEnd = text.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? text.endIndex
        let authority = text[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            result += "<redacted>@" + authority[authority.index(after: at)...]
        } else {
            result += authority
        }
        let rest = text[authorityEnd...]
        if let query = rest.firstIndex(of: "?") {
            result += rest[..<query] + "?<redacted>"
        } else {
            result += rest
        }
        return result
    }
}
