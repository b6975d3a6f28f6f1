import Foundation

/// The words of a supporter's own page (`/manage`), in English and Russian, like the box's.
public struct SupporterPageCopy: Sendable, Equatable {
    public let language: String
    public let texts: [String: String]

    public subscript(key: String) -> String { texts[key] ?? Self.english.texts[key] ?? key }

    /// The copy for a page's `lang` or `Accept-Language` (`ru-RU,ru;q=0.9` → `ru`), else English.
    public static func match(_ lang: String?) -> SupporterPageCopy {
        let primary = (lang ?? "").lowercased().prefix { $0.isLetter }
        return primary == "ru" ? russian : english
    }

    public static let english = SupporterPageCopy(
        language: "en",
        texts: [
            "title": "Your support", "lead": "Your pledges and payments, as we recorded them.",
            "pledges": "Pledges", "payments": "Payments", "none": "Nothing yet.",
            "amount": "Amount", "cadence": "How often", "status": "Status", "since": "Since", "date": "Date",
            "receipt": "Receipt", "invalid_title": "This link cannot be used",
            "invalid": "It is not valid, has expired, or was replaced by a newer one. Ask for a new link.",
            "one_off": "Once", "monthly": "Monthly", "annual": "Annual",
            "pending": "Waiting for payment", "active": "Active", "completed": "Paid", "past_due": "Payment failed",
            "cancelled": "Cancelled", "expired": "Expired", "paused": "Paused",
            "paused_until": "Paused until", "resume": "Resume now", "requested_resume": "Resumption requested",
            "pause": "Pause", "pause_for": "Pause for", "month_1": "1 month", "month_2": "2 months",
            "month_3": "3 months", "change": "Change", "new_amount": "New amount", "new_cadence": "How often",
            "keep": "As now", "cancel": "Cancel", "reason": "Why?", "note": "Anything else (optional)",
            "too_expensive": "It is too expensive", "payment_problems": "Payment problems",
            "prefer_one_off": "I prefer to give once", "unhappy_with_coverage": "Unhappy with the coverage",
            "other": "Another reason", "requested": "Requested, waiting for the payment processor",
            "requested_pause": "Pause requested", "requested_change": "Change requested",
            "requested_cancel": "Cancellation requested", "not_changed": "Nothing was changed",
            "forged": "This form did not come from your page. Open your link again.",
            "back": "Back to your page", "from_next_renewal": "From the next renewal.",
            "receipt_title": "Receipt",
            "receipt_lead": "Thank you for your support. This receipt records your payment.",
            "receipt_number": "Receipt number", "receipt_unnumbered": "not numbered", "currency": "Currency",
            "refunded": "Refunded so far", "charged_back": "Charged back so far", "email": "E-mail",
            "payment_ref": "Payment", "open_receipt": "Receipt",
            "statements": "Yearly giving statements", "statement_for": "Statement for",
            "print_hint": "Use your browser's Print command to print this page or save it as PDF.",
        ])

    public static let russian = SupporterPageCopy(
        language: "ru",
        texts: [
            "title": "Ваша поддержка", "lead": "Ваши обязательства и платежи, как мы их записали.",
            "pledges": "Обязательства", "payments": "Платежи", "none": "Пока ничего.",
            "amount": "Сумма", "cadence": "Как часто", "status": "Состояние", "since": "С", "date": "Дата",
            "receipt": "Квитанция", "invalid_title": "Эта ссылка не работает",
            "invalid": "Она недействительна, устарела или заменена новой. Запросите новую ссылку.",
            "one_off": "Разово", "monthly": "Ежемесячно", "annual": "Ежегодно",
            "pending": "Ожидает оплаты", "active": "Действует", "completed": "Оплачено", "past_due": "Платёж не прошёл",
            "cancelled": "Отменено", "expired": "Истекло", "paused": "На паузе",
            "paused_until": "На паузе до", "resume": "Возобновить сейчас",
            "requested_resume": "Запрошено возобновление",
            "pause": "Пауза", "pause_for": "Пауза на", "month_1": "1 месяц", "month_2": "2 месяца",
            "month_3": "3 месяца", "change": "Изменить", "new_amount": "Новая сумма", "new_cadence": "Как часто",
            "keep": "Как сейчас", "cancel": "Отменить", "reason": "Почему?", "note": "Что-то ещё (необязательно)",
            "too_expensive": "Слишком дорого", "payment_problems": "Проблемы с оплатой",
            "prefer_one_off": "Предпочитаю разовые платежи", "unhappy_with_coverage": "Не нравятся материалы",
            "other": "Другая причина", "requested": "Запрошено, ждём подтверждения платёжной системы",
            "requested_pause": "Запрошена пауза", "requested_change": "Запрошено изменение",
            "requested_cancel": "Запрошена отмена", "not_changed": "Ничего не изменено",
            "forged": "Эта форма пришла не с вашей страницы. Откройте ссылку ещё раз.",
            "back": "Вернуться на вашу страницу", "from_next_renewal": "Со следующего списания.",
            "receipt_title": "Квитанция",
            "receipt_lead": "Спасибо за поддержку. Эта квитанция подтверждает ваш платёж.",
            "receipt_number": "Номер квитанции", "receipt_unnumbered": "без номера", "currency": "Валюта",
            "refunded": "Возвращено", "charged_back": "Оспорено через банк", "email": "Эл. почта",
            "payment_ref": "Платёж", "open_receipt": "Квитанция",
            "statements": "Годовые справки о пожертвованиях", "statement_for": "Справка за",
            "print_hint": "Чтобы распечатать страницу или сохранить её в PDF, воспользуйтесь печатью в браузере.",
        ])
}
