/// Base64 with the standard alphabet and `=` padding (RFC 4648 §4).
///
/// The decoder is strict on purpose: a signature must have exactly one spelling,
/// so anything Foundation would tolerate (missing padding, whitespace, non-zero
/// unused bits, URL-safe characters) is refused.
public enum Base64 {
    private static let alphabet: [UInt8] =
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let padding = UInt8(ascii: "=")

    /// The padded Base64 spelling of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(chunk >> 18 & 0x3F)])
            out.append(alphabet[Int(chunk >> 12 & 0x3F)])
            out.append(alphabet[Int(chunk >> 6 & 0x3F)])
            out.append(alphabet[Int(chunk & 0x3F)])
            index += 3
        }
        switch bytes.count - index {
        case 1:
            let chunk = UInt32(bytes[index]) << 16
            out.append(alphabet[Int(chunk >> 18 & 0x3F)])
            out.append(alphabet[Int(chunk >> 12 & 0x3F)])
            out.append(padding)
            out.append(padding)
        case 2:
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out.append(alphabet[Int(chunk >> 18 & 0x3F)])
            out.append(alphabet[Int(chunk >> 12 & 0x3F)])
            out.append(alphabet[Int(chunk >> 6 & 0x3F)])
            out.append(padding)
        default:
            break
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes spelled by `text`, or `nil` unless it is canonical padded Base64:
    /// a length that is a multiple of 4, only alphabet characters, at most two `=`
    /// and only at the very end, and zero bits in the unused low bits of the last
    /// character. The empty string decodes to no bytes.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 4 * 3)
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let isLastQuad = index + 4 == utf8.count
            let c0 = utf8[index]
            let c1 = utf8[index + 1]
            let c2 = utf8[index + 2]
            let c3 = utf8[index + 3]
            guard let v0 = value(of: c0), let v1 = value(of: c1) else { return nil }
            if c2 == padding {
                // "xx==": one byte; only allowed at the end, and both pads must be present.
                guard isLastQuad, c3 == padding, v1 & 0x0F == 0 else { return nil }
                out.append(v0 << 2 | v1 >> 4)
            } else if c3 == padding {
                // "xxx=": two bytes; only allowed at the end.
                guard isLastQuad, let v2 = value(of: c2), v2 & 0x03 == 0 else { return nil }
                out.append(v0 << 2 | v1 >> 4)
                out.append(v1 << 4 | v2 >> 2)
            } else {
                guard let v2 = value(of: c2), let v3 = value(of: c3) else { return nil }
                out.append(v0 << 2 | v1 >> 4)
                out.append(v1 << 4 | v2 >> 2)
                out.append(v2 << 6 | v3)
            }
            index += 4
        }
        return out
    }

    private static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case 0x41...0x5A: return byte - 0x41  // A-Z
        case 0x61...0x7A: return byte - 0x61 + 26  // a-z
        case 0x30...0x39: return byte - 0x30 + 52  // 0-9
        case 0x2B: return 62  // +
        case 0x2F: return 63  // /
        default: return nil
        }
    }
}
