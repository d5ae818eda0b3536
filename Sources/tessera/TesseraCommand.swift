import ArgumentParser

@main
struct TesseraCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera",
        abstract: "Tessera: OAuth 2.0 password login with revocable JWTs, event-sourced on Redis.",
        subcommands: [Serve.self, UserCommand.self, ReplayCommand.self, EventsCommand.self, FeedCredentialCommand.self]
    )
}
