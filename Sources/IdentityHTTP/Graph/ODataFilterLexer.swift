import Foundation
import IdentityCore

/// Splits a `$filter` into tokens: words (names, keywords, unquoted literals), quoted strings
/// and punctuation.
enum ODataFilterLexer {
    enum Token: Sendable, Equatable {
        case word(String)
        case quoted(String)
        case open, close, comma, colon
    }

    static func tokens(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case " ", "\t": index += 1
            case "(": tokens.append(.open); index += 1
            case ")": tokens.append(.close); index += 1
            case ",": tokens.append(.comma); index += 1
            case ":": tokens.append(.colon); index += 1
            case "'":
                var value = ""
                index += 1
                var closed = false
                while index < characters.count {
                    if characters[index] == "'" {
                        if index + 1 < characters.count, characters[index + 1] == "'" {
                            value.append("'")
                            index += 2
                            continue
                        }
                        closed = true
                        index += 1
                        break
                    }
                    value.append(characters[index])
                    index += 1
                }
                guard closed else { throw ODataFilterParser.syntax("unterminated string literal") }
                tokens.append(.quoted(value))
            default:
                var word = ""
                // A date-time literal carries ':'; take it whole when the word starts with a digit.
                let isLiteral = character.isNumber || character == "-"
                while index < characters.count {
                    let next = characters[index]
                    if " \t(),'".contains(next) || (next == ":" && !isLiteral) { break }
                    word.append(next)
                    index += 1
                }
                tokens.append(.word(word))
            }
        }
        return tokens
    }
}
