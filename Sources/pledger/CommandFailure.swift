import ArgumentParser
import Foundation
import PledgerApp
import PledgerCore

/// A failure the command reports itself, with its exit status.
struct CommandFailure: Error {
    let message: String
    let status: Int32
}
