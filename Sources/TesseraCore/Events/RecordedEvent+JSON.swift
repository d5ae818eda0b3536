extension RecordedEvent {
    /// The event as the JSON object of the API: `{"id","type","at","data"}`.
    ///
    /// `at` is the append time, RFC 3339 UTC with milliseconds; `data` is the stored payload
    /// embedded as is. The log holds only JSON the encoder wrote, so nothing is re-parsed or
    /// validated here: this is what `tessera events tail` prints and the admin events API returns.
    public var jsonObject: String {
        var json = "{\"id\":\"\(id)\",\"type\":"
        json += Self.quoted(type.name)
        json += ",\"at\":\"\(Timestamp.rfc3339(milliseconds: Int64(clamping: id.milliseconds)))\",\"data\":"
        json += String(decoding: data, as: UTF8.self)
        json += "}"
        return json
    }

    /// A JSON string (RFC 8259): `"` and `\` escaped, control characters as `\u00XX`.
    private static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes += [UInt8(ascii: "\\"), byte]
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }
}
