import DequeModule

/// The most recent `limit` elements appended, oldest first, and how many older ones were dropped.
struct RecentWindow<Element> {
    let limit: Int
    private(set) var elements: Deque<Element> = []
    /// Elements dropped to keep at most `limit`.
    private(set) var dropped = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Every element appended so far, dropped ones included.
    var total: Int { dropped + elements.count }

    mutating func append(_ element: Element) {
        elements.append(element)
        if elements.count > limit {
            elements.removeFirst()
            dropped += 1
        }
    }
}

extension RecentWindow: Sendable where Element: Sendable {}
