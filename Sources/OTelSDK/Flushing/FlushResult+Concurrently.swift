extension FlushResult {
    /// Runs `body` for every element concurrently (one child task each) and combines the results
    /// with ``combining(_:)``: how a provider flushes or shuts down all of its processors at once.
    static func concurrently<Element: Sendable>(_ elements: [Element], _ body: @escaping @Sendable (Element) async -> FlushResult) async -> FlushResult {
        await withTaskGroup(of: FlushResult.self) { group in
            for element in elements {
                group.addTask { await body(element) }
            }
            return combining(await group.reduce(into: []) { $0.append($1) })
        }
    }
}
