import CityKafka
import Foundation

/// Interprets the dev cluster's fault commands and answers each with one line.
struct FaultController: Sendable {
    let cluster: MockKafkaCluster
    let topicReplicationFactor: Int32

    /// Serves commands until `quit`; end of input leaves the cluster running until a signal.
    func serve(input: StandardInputLines) async {
        for await line in input.lines() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed == "quit" || trimmed == "exit" {
                respond("ok stopping")
                return
            }
            respond(execute(trimmed))
        }
        // No more input: wait for a signal (the other task of the group).
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
    }

    func execute(_ command: String) -> String {
        let words = command.split(separator: " ").map(String.init)
        do {
            switch (words.first ?? "", words.count) {
            case ("broker", 3):
                guard let id = Int32(words[2]), (1...Int32(cluster.brokerCount)).contains(id) else { return "error broker id must be 1…\(cluster.brokerCount)" }
                switch words[1] {
                case "down": try cluster.setBrokerDown(id)
                case "up": try cluster.setBrokerUp(id)
                default: return "error broker wants down or up"
                }
                return "ok broker \(id) \(words[1])"
            case ("rtt", 3):
                guard let id = Int32(words[1]), let ms = Int32(words[2]), ms >= 0 else { return "error usage: rtt BROKER MILLISECONDS" }
                try cluster.setRoundTripTime(broker: id, milliseconds: ms)
                return "ok rtt broker \(id) \(ms) ms"
            case ("errors", 3):
                guard let apiKey = KafkaAPIKey.number(for: words[1]) else { return "error unknown API \(words[1])" }
                var codes: [KafkaError.Code] = []
                for name in words[2].split(separator: ",") {
                    guard let code = KafkaError.Code(named: String(name)) else { return "error unknown error code \(name)" }
                    codes.append(code)
                }
                cluster.pushRequestErrors(apiKey: apiKey, errors: codes)
                return "ok \(codes.count) errors queued for \(words[1])"
            case ("leader", 4):
                guard let partition = Int32(words[2]), let broker = Int32(words[3]) else { return "error usage: leader TOPIC PARTITION BROKER" }
                try cluster.setPartitionLeader(topic: words[1], partition: partition, broker: broker)
                return "ok leader of \(words[1])[\(partition)] is broker \(broker)"
            case ("topic", 3):
                guard let partitions = Int32(words[2]), partitions > 0 else { return "error usage: topic NAME PARTITIONS" }
                try cluster.createTopic(words[1], partitions: partitions, replicationFactor: topicReplicationFactor)
                return "ok topic \(words[1]) created"
            case ("status", 1):
                return "ok \(cluster.brokerCount) brokers at \(cluster.bootstrapServers)"
            case ("help", 1):
                return "ok commands: broker down|up N; rtt N MS; errors API CODE[,CODE]; leader TOPIC P N; topic NAME P; status; quit"
            default:
                return "error unknown command: \(command) (try help)"
            }
        } catch {
            return "error \(error)"
        }
    }

    private func respond(_ line: String) { emitLine(line) }
}

/// Kafka protocol API keys by name, for fault injection.
enum KafkaAPIKey {
    static let byName: [String: Int16] = [
        "produce": 0, "fetch": 1, "listoffsets": 2, "metadata": 3, "offsetcommit": 8, "offsetfetch": 9,
        "findcoordinator": 10, "joingroup": 11, "heartbeat": 12, "leavegroup": 13, "syncgroup": 14,
        "apiversions": 18, "initproducerid": 22, "addpartitionstotxn": 24, "endtxn": 26,
    ]

    static func number(for name: String) -> Int16? {
        Int16(name) ?? byName[name.lowercased()]
    }
}
