extension RecordedEvent {
    /// The event as the JSON object of the API: `{"id","type","at","data"}`.
    ///
    /// `at` is the append time, RFC 3339 UTC with milliseconds; `data` is the stored payload
    /// embedded as is. The log holds only JSON the encoders wrote, so nothing is re-parsed or
    /// validated here: this is what `tessera events tail` prints and the admin events API returns.
    public var jsonObject: String {
        var writer = JSONObjectWriter(capacity: data.count + 96)
        writer.add("id", id.description)
        writer.add("type", type.name)
        writer.add("at", Timestamp.rfc3339(milliseconds: Int64(clamping: id.milliseconds)))
        writer.addRaw("data", data)
        return writer.finishText()
    }
}
