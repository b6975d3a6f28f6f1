/// Hexadecimal encoding of bytes.
///
/// Written by hand so decoding is strict and predictable: no prefixes, no
/// whitespace, no separators.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lower-case hex, two characters per byte.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes spelled by `text` (upper or lower case), or `nil` for an odd length
    /// or any character that is not a hex digit.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        decode(bytes: Array(text.utf8)[...])
    }

    /// The bytes spelled by hex digits given as UTF-8 bytes, or `nil` as ``decode(_:)``.
    public static func decode(bytes utf8: ArraySlice<UInt8>) -> [UInt8]? {
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = utf8.startIndex
        while index < utf8.endIndex {
            guard let high = value(of: utf8[index]), let low = value(of: utf8[index + 1]) else {
                return nil
            }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// Whether `text` is exactly `count` lower-case hex digits (what senders emit).
    public static func isLowercaseHex(_ text: some StringProtocol, count: Int) -> Bool {
        isLowercaseHex(text.utf8, count: count)
    }

    /// Whether the UTF-8 `bytes` are exactly `count` lower-case hex digits.
    public static func isLowercaseHex(_ bytes: some Sequence<UInt8>, count: Int) -> Bool {
        var seen = 0
        for byte in bytes {
            guard (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) else { return false }
            seen += 1
        }
        return seen == count
    }

    private static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30  // 0-9
        case 0x61...0x66: return byte - 0x61 + 10  // a-f
        case 0x41...0x46: return byte - 0x41 + 10  // A-F
        default: return nil
        }
    }
}
