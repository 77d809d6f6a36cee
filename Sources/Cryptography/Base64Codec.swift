/// The shared codec; both public namespaces are thin views over it.
enum Base64Codec {
    enum Variant { case standard, url }

    static func encode<C: Collection>(_ bytes: C, alphabet: [UInt8], padded: Bool) -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = b1 == nil ? nil : iterator.next()
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            if let b1 {
                out.append(alphabet[Int((b1 & 0x0F) << 2 | (b2 ?? 0) >> 6)])
            } else if padded {
                out.append(UInt8(ascii: "="))
            }
            if let b2 {
                out.append(alphabet[Int(b2 & 0x3F)])
            } else if padded {
                out.append(UInt8(ascii: "="))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Sextet value of an alphabet byte, or nil.
    @inline(__always)
    static func value(_ c: UInt8, _ variant: Variant) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-") where variant == .url: return 62
        case UInt8(ascii: "_") where variant == .url: return 63
        case UInt8(ascii: "+") where variant == .standard: return 62
        case UInt8(ascii: "/") where variant == .standard: return 63
        default: return nil
        }
    }

    static func decode(_ input: [UInt8], alphabet variant: Variant, allowPadding: Bool, requirePadding: Bool,
                       ignoringWhitespace: Bool) -> [UInt8]? {
        var sextets = [UInt8]()
        sextets.reserveCapacity(input.count)
        var padding = 0
        for c in input {
            if ignoringWhitespace, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { continue }
            if c == UInt8(ascii: "=") {
                guard allowPadding else { return nil }
                padding += 1
                continue
            }
            // Data after padding is not base64.
            guard padding == 0, let v = value(c, variant) else { return nil }
            sextets.append(v)
        }
        let remainder = sextets.count % 4
        if remainder == 1 { return nil }
        let expectedPadding = remainder == 0 ? 0 : 4 - remainder
        if padding != 0 && padding != expectedPadding { return nil }
        if requirePadding && padding != expectedPadding { return nil }

        var out = [UInt8]()
        out.reserveCapacity(sextets.count * 3 / 4)
        var i = 0
        while i + 4 <= sextets.count {
            let s0 = sextets[i], s1 = sextets[i + 1], s2 = sextets[i + 2], s3 = sextets[i + 3]
            out.append(s0 << 2 | s1 >> 4)
            out.append(s1 << 4 | s2 >> 2)
            out.append(s2 << 6 | s3)
            i += 4
        }
        switch remainder {
        case 2:
            let s0 = sextets[i], s1 = sextets[i + 1]
            // Non-zero unused bits would give a second encoding of the same bytes.
            guard s1 & 0x0F == 0 else { return nil }
            out.append(s0 << 2 | s1 >> 4)
        case 3:
            let s0 = sextets[i], s1 = sextets[i + 1], s2 = sextets[i + 2]
            guard s2 & 0x03 == 0 else { return nil }
            out.append(s0 << 2 | s1 >> 4)
            out.append(s1 << 4 | s2 >> 2)
        default:
            break
        }
        return out
    }
}
