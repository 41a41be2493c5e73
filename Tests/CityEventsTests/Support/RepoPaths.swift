import Foundation

/// Locates the repository and the test fixtures.
enum RepoPaths {
    /// The repository root: `CITYDATA_ROOT` if set, else the first ancestor of this file (symlinks
    /// resolved) that holds a `Package.swift` beside a `Shared/` directory.
    static let root: URL? = {
        if let override = ProcessInfo.processInfo.environment["CITYDATA_ROOT"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        let files = FileManager.default
        while directory.path != "/" {
            if files.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
                files.fileExists(atPath: directory.appendingPathComponent("Shared").path)
            {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    /// The fixtures in the test bundle.
    static var bundledFixtures: URL? {
        Bundle.module.resourceURL?.appendingPathComponent("Fixtures")
    }

    /// The fixtures in the source tree (where the generator writes).
    static var sourceFixtures: URL? {
        root?.appendingPathComponent("Tests/CityEventsTests/Fixtures")
    }

    /// Reads a bundled fixture file.
    static func fixture(_ relativePath: String) throws -> Data {
        guard let base = bundledFixtures else { throw FixtureMissing(path: relativePath) }
        return try Data(contentsOf: base.appendingPathComponent(relativePath))
    }
}

struct FixtureMissing: Error, CustomStringConvertible {
    let path: String
    var description: String { "fixture \(path) is not in the test bundle" }
}
