/// `docs/openapi.yaml`, carried inside the binary and served at `GET /v1/openapi.yaml`.
public enum OpenAPIDocument {
    public static let yaml: String = embeddedDocuments.first { $0.name == "openapi.yaml" }?.text ?? ""
}
