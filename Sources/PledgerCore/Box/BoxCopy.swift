import Foundation

/// The reader's box's words in one language: every ``Key`` has a text. English and Russian are
/// built in; a configuration file overrides their keys or adds a language with every key.
public struct BoxCopy: Sendable, Equatable {
    /// Every text the box and its pages show.
    public enum Key: String, Sendable, CaseIterable {
        case title, lead
        case cadenceLabel = "cadence_label"
        case once, monthly, annual
        case perMonth = "per_month"
        case perYear = "per_year"
        case fromMinimum = "from_minimum"
        case otherAmount = "other_amount"
        case amountLabel = "amount_label"
        case currencyLabel = "currency_label"
        case belowMinimum = "below_minimum"
        case methodsLabel = "methods_label"
        case emailOptional = "email_optional"
        case `continue`
        case remindPrompt = "remind_prompt"
        case remindLink = "remind_link"
        case remindEmail = "remind_email"
        case remindSubmit = "remind_submit"
        case remindDone = "remind_done"
        case error
        case rateLimited = "rate_limited"
        case invalidEmail = "invalid_email"
        case confirmTitle = "confirm_title"
        case confirmDone = "confirm_done"
        case confirmInvalid = "confirm_invalid"
        case confirmInvalidHint = "confirm_invalid_hint"
        case confirmAsk = "confirm_ask"
        case confirmButton = "confirm_button"
    }

    /// The language tag's primary subtag, lower-case: `en`, `ru`, `de`.
    public let language: String
    public let texts: [Key: String]

    public subscript(key: Key) -> String { texts[key] ?? "" }

    /// The built-in languages.
    public static let builtIn: [String: BoxCopy] = ["en": english, "ru": russian]

    /// Copy for `language` from a file's `[copy.<language>]` table: it overrides a built-in
    /// language's keys, or must give every key of a new one. Unknown keys and empty texts are refused.
    public static func make(language: String, texts given: [String: String], field: String) throws(PledgerError)
        -> BoxCopy
    {
        let tag = language.lowercased()
        guard tag.count >= 2, tag.count <= 8, tag.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw .invalid(field, "\"\(language)\" is not a language code such as en, ru or de")
        }
        var texts = builtIn[tag]?.texts ?? [:]
        for (name, text) in given.sorted(by: { $0.key < $1.key }) {
            guard let key = Key(rawValue: name) else {
                throw .invalid("\(field).\(name)", "is not a copy key; the keys are \(Self.keyList)")
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= 300 else {
                throw .invalid("\(field).\(name)", "must be 1 to 300 characters")
            }
            texts[key] = trimmed
        }
        if let missing = Key.allCases.first(where: { texts[$0] == nil }) {
            throw .invalid(
                "\(field).\(missing.rawValue)", "is missing; a language other than en and ru must give every key")
        }
        return BoxCopy(language: tag, texts: texts)
    }

    /// The copy for a page's `lang` (`ru-RU` → `ru`) among `languages`, else English.
    public static func match(_ lang: String?, in languages: [String: BoxCopy]) -> BoxCopy {
        let primary = (lang ?? "").lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init)
        return primary.flatMap { languages[$0] } ?? languages["en"] ?? english
    }

    static var keyList: String { Key.allCases.map(\.rawValue).joined(separator: ", ") }

    public static let english = BoxCopy(
        language: "en",
        texts: [
            .title: "Support our journalism",
            .lead: "Reader support keeps our reporting free for everyone.",
            .cadenceLabel: "How often",
            .once: "Once", .monthly: "Monthly", .annual: "Annual",
            .perMonth: "/month", .perYear: "/year",
            .fromMinimum: "From just {minimum}",
            .otherAmount: "Other amount",
            .amountLabel: "Amount",
            .currencyLabel: "Currency",
            .belowMinimum: "The minimum is {minimum}.",
            .methodsLabel: "We accept",
            .emailOptional: "E-mail (optional)",
            .continue: "Continue",
            .remindPrompt: "Not ready to support today?",
            .remindLink: "Remind me later.",
            .remindEmail: "Your e-mail",
            .remindSubmit: "Remind me",
            .remindDone: "Thank you. Check your inbox to confirm the reminder.",
            .error: "Something went wrong. Please try again.",
            .rateLimited: "Too many tries. Please wait a moment and try again.",
            .invalidEmail: "Please enter a valid e-mail address.",
            .confirmTitle: "Reminder confirmed",
            .confirmDone: "Thank you. We will remind you by e-mail.",
            .confirmInvalid: "This link is not valid or has expired.",
            .confirmInvalidHint: "Ask again from the box under any article; a new link comes by e-mail.",
            .confirmAsk: "Shall we remind you by e-mail to support our journalism?",
            .confirmButton: "Yes, remind me",
        ])

    public static let russian = BoxCopy(
        language: "ru",
        texts: [
            .title: "Поддержите нашу журналистику",
            .lead: "Поддержка читателей сохраняет наши материалы бесплатными для всех.",
            .cadenceLabel: "Как часто",
            .once: "Разово", .monthly: "Ежемесячно", .annual: "Ежегодно",
            .perMonth: "/мес.", .perYear: "/год",
            .fromMinimum: "От {minimum}",
            .otherAmount: "Другая сумма",
            .amountLabel: "Сумма",
            .currencyLabel: "Валюта",
            .belowMinimum: "Минимальная сумма — {minimum}.",
            .methodsLabel: "Способы оплаты",
            .emailOptional: "E-mail (необязательно)",
            .continue: "Продолжить",
            .remindPrompt: "Не готовы поддержать сегодня?",
            .remindLink: "Напомните мне позже.",
            .remindEmail: "Ваш e-mail",
            .remindSubmit: "Напомнить",
            .remindDone: "Спасибо. Проверьте почту, чтобы подтвердить напоминание.",
            .error: "Что-то пошло не так. Попробуйте ещё раз.",
            .rateLimited: "Слишком много попыток. Подождите немного и попробуйте снова.",
            .invalidEmail: "Введите правильный адрес e-mail.",
            .confirmTitle: "Напоминание подтверждено",
            .confirmDone: "Спасибо. Мы напомним вам по e-mail.",
            .confirmInvalid: "Ссылка недействительна или устарела.",
            .confirmInvalidHint: "Попросите напомнить ещё раз под любой статьёй — новая ссылка придёт по почте.",
            .confirmAsk: "Напомнить вам по e-mail о поддержке нашей журналистики?",
            .confirmButton: "Да, напомните мне",
        ])
}
