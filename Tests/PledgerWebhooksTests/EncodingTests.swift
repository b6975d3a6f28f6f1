import Foundation
import PledgerCore
import PledgerWebhooks
import Testing

@Suite("Hex")
struct HexTests {
    @Test func knownValues() {
        #expect(Hex.encode([]) == "")
        #expect(Hex.encode([0x00, 0xFF, 0x10, 0xAB]) == "00ff10ab")
        #expect(Hex.decode("") == [])
        #expect(Hex.decode("00ff10ab") == [0x00, 0xFF, 0x10, 0xAB])
        #expect(Hex.decode("DEADBEEF") == [0xDE, 0xAD, 0xBE, 0xEF])
        #expect(Hex.decode("DeAdBeEf") == [0xDE, 0xAD, 0xBE, 0xEF])
        // Any StringProtocol, e.g. a slice of a header.
        let header = "v1=cafe,"
        #expect(Hex.decode(header.dropFirst(3).dropLast()) == [0xCA, 0xFE])
    }

    @Test(arguments: ["0", "abc", "zz", "0g", "g0", " 00", "00 ", "0x00", "+1", "-1", "00\n", "éé", "٠٠", "0 0"])
    func refuses(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }

    @Test func seededRoundTrips() {
        var rng = SeededGenerator(seed: 0x4E58_0001)
        for _ in 0..<500 {
            let bytes = rng.bytes(count: Int.random(in: 0...100, using: &rng))
            let encoded = Hex.encode(bytes)
            // Reference spelling from Foundation's formatter.
            #expect(encoded == bytes.map { String(format: "%02x", $0) }.joined())
            #expect(Hex.decode(encoded) == bytes)
            #expect(Hex.decode(encoded.uppercased()) == bytes)
        }
    }
}

@Suite("Base64")
struct Base64Tests {
    /// RFC 4648 §10.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648(_ plain: String, _ encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test(arguments: [
        "Zg", "Zg=", "Zg===", "Z===", "====", "=Zg=", "Zm9=v", "Zg==Zg==", "Zm8=Zm9v",
        "Zm 9v", "Zm9v\n", " Zm9v", "Zm9v ", "Zm9v=", "Z=g=",
        "Zh==", "Zm9=",  // non-zero unused bits: a second spelling of the same bytes
        "Zm-v", "Zm_v",  // URL-safe alphabet
        "Zm9\u{00E9}", "Zm9v\0",
    ])
    func refuses(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func seededRoundTripsAgainstFoundation() {
        var rng = SeededGenerator(seed: 0xB64_0001)
        for _ in 0..<500 {
            let bytes = rng.bytes(count: Int.random(in: 0...100, using: &rng))
            let encoded = Base64.encode(bytes)
            #expect(encoded == Data(bytes).base64EncodedString())
            #expect(Base64.decode(encoded) == bytes)
        }
    }

    /// Every padded final quad: exactly the canonical spellings decode, and they
    /// re-encode to themselves, so no two texts decode to the same bytes.
    @Test func onlyCanonicalFinalQuadsDecode() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var oneByte = 0
        var twoBytes = 0
        for a in alphabet {
            for b in alphabet {
                let text = "\(a)\(b)=="
                if let bytes = Base64.decode(text) {
                    oneByte += 1
                    #expect(bytes.count == 1 && Base64.encode(bytes) == text)
                }
                for c in alphabet {
                    let text = "\(a)\(b)\(c)="
                    if let bytes = Base64.decode(text) {
                        twoBytes += 1
                        #expect(bytes.count == 2 && Base64.encode(bytes) == text)
                    }
                }
            }
        }
        #expect(oneByte == 256)
        #expect(twoBytes == 65_536)
    }
}
