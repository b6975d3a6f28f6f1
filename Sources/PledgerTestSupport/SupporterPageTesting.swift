import Foundation
import PledgerApp
import PledgerCore

/// A supporter's own page as a test opens it: their link made, its token read, the page opened.
public enum SupporterPageTesting {
    /// The token of `email`'s link and the CSRF token of the page it opens; a link that does not
    /// open the page is an error naming the e-mail.
    public static func open(_ app: Pledger, email: String) async throws -> (token: String, csrf: String) {
        guard let link = try await app.supporters.requestLink(email: email),
            let token = URLComponents(string: link.url)?.queryItems?.first(where: { $0.name == "token" })?.value
        else { throw PledgerError.invalid("email", "no link for \(email)") }
        guard case .success(let page) = try await app.supporters.page(token: token) else {
            throw PledgerError.invalid("token", "the link of \(email) did not open the page")
        }
        return (token, page.csrf)
    }
}
