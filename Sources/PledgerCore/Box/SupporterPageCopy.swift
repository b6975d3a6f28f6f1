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
            "cancelled": "Cancelled", "expired": "Expired",
            "receipt_title": "Receipt",
            "receipt_lead": "Thank you for your support. This receipt records your payment.",
            "receipt_number": "Receipt number", "receipt_unnumbered": "not numbered", "currency": "Currency",
            "refunded": "Refunded so far", "charged_back": "Charged back so far", "email": "E-mail",
            "payment_ref": "Payment", "open_receipt": "Receipt", "back": "Back to your support",
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
            "cancelled": "Отменено", "expired": "Истекло",
            "receipt_title": "Квитанция",
            "receipt_lead": "Спасибо за поддержку. Эта квитанция подтверждает ваш платёж.",
            "receipt_number": "Номер квитанции", "receipt_unnumbered": "без номера", "currency": "Валюта",
            "refunded": "Возвращено", "charged_back": "Оспорено через банк", "email": "Эл. почта",
            "payment_ref": "Платёж", "open_receipt": "Квитанция", "back": "К вашей поддержке",
            "statements": "Годовые справки о пожертвованиях", "statement_for": "Справка за",
            "print_hint": "Чтобы распечатать страницу или сохранить её в PDF, воспользуйтесь печатью в браузере.",
        ])
}
