import Foundation
import Logging
import RedisClient
import TesseraAuth
import TesseraCore
import TesseraPasswords
import TesseraStore
import TesseraStoreTestSupport
import TesseraTestSupport
import Testing

/// The Swift payload types are the schema of the log: every script writes exactly their fields.
@Suite(.redisServer) struct EventSchemaTests {
    @Test func everyEventEveryScriptAppendsDecodesIntoItsSwiftTypeFieldByField() async throws {
        let (workload, log) = try await RedisServer.withSuiteAccounts(label: "schema") { store, service in
            (try await Workload.run(on: store, service: service), try await store.events(after: nil, limit: 1000))
        }

        // What the scripts returned is exactly what they appended.
        #expect(workload.events == log)
        // Every type of the schema was written by some script of the workload.
        #expect(Set(log.map(\.type)) == Set(EventType.payloadTypes.keys), "the workload covers every event type")

        for event in log {
            let payloadType = try #require(EventType.payloadTypes[event.type], "\(event.type) has no Swift payload type")
            #expect(event.version == payloadType.version, "\(event.type)")
            let stored = try Self.object(event.data)
            let decoded = try Self.roundTrip(event, as: payloadType)
            // Re-encoding the Swift value gives back every stored field and value: nothing the
            // script wrote is missing from the Swift type, nothing Swift requires is missing from the script.
            #expect(decoded == stored, "\(event.type): stored \(stored.allKeys), Swift \(decoded.allKeys)")
        }
    }

    static func roundTrip<Payload: EventPayload>(_ event: RecordedEvent, as type: Payload.Type) throws -> NSDictionary {
        let payload = try #require(try event.decode(as: type))
        return try object(try EventEncoding.encode(payload))
    }

    static func object(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }
}
