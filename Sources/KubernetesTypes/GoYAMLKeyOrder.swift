/// The order in which go-yaml v2 writes mapping keys (what `sigs.k8s.io/yaml`, and therefore
/// client-go, produces): a "natural" order where runs of digits compare as numbers and, at the
/// first differing character, a non-letter sorts before a letter.
///
/// Plain byte order would differ for keys such as `a10`/`a9` or `_x`/`Ax`; kubeconfig files that
/// client-go wrote must come out byte for byte the same.
enum GoYAMLKeyOrder {
    static func areInIncreasingOrder(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.unicodeScalars)
        let b = Array(rhs.unicodeScalars)
        var index = 0
        while index < a.count && index < b.count {
            if a[index] == b[index] {
                index += 1
                continue
            }
            let aIsLetter = a[index].properties.isAlphabetic
            let bIsLetter = b[index].properties.isAlphabetic
            if aIsLetter && bIsLetter { return a[index].value < b[index].value }
            if aIsLetter || bIsLetter { return bIsLetter }
            // Both non-letters: compare the digit runs starting here as numbers.
            var aNumber: Int64 = 0
            var bNumber: Int64 = 0
            if a[index] == "0" || b[index] == "0" {
                // A zero inside a longer number (e.g. the 0 in "10") still counts as that number.
                var back = index - 1
                while back >= 0, isDigit(a[back]) {
                    if a[back] != "0" {
                        aNumber = 1
                        bNumber = 1
                        break
                    }
                    back -= 1
                }
            }
            var aEnd = index
            while aEnd < a.count, isDigit(a[aEnd]) {
                aNumber = aNumber &* 10 &+ Int64(a[aEnd].value - 48)
                aEnd += 1
            }
            var bEnd = index
            while bEnd < b.count, isDigit(b[bEnd]) {
                bNumber = bNumber &* 10 &+ Int64(b[bEnd].value - 48)
                bEnd += 1
            }
            if aNumber != bNumber { return aNumber < bNumber }
            if aEnd != bEnd { return aEnd < bEnd }
            return a[index].value < b[index].value
        }
        return a.count < b.count
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.numericType == .decimal
    }
}
