import ArgumentParser

/// `tessera events tail [--from ID]`.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Read the event log.",
        subcommands: [EventsTail.self]
    )
}
