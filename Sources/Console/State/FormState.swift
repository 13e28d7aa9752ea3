import KeyStoreEngine

/// The Create and Edit key store forms: fields, focus, and the last answer of the service.
public struct FormState: Sendable, Equatable {
    /// Which form it is.
    public enum Kind: Sendable, Equatable {
        /// Create an AWS CloudHSM key store.
        case create
        /// Create an external key store.
        case createExternal
        case edit(storeId: String)
        /// Create a KMS key in a store.
        case createKey(storeId: String)
    }

    /// What is wrong with a field before anything is sent (a file that cannot be read, a value missing).
    public struct Problem: Error, Sendable, Equatable {
        public var field: FieldID
        public var message: String

        public init(field: FieldID, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// The fields a form can have.
    public enum FieldID: String, Sendable, Equatable {
        case name, cluster, trustAnchor, password
        // External key stores.
        case connectivity, vpcServiceName, vpcServiceOwner, uriEndpoint, proxyConfigurationFile, uriPath, accessKeyId,
             secretAccessKey
        // A KMS key.
        case keyDescription, xksKeyId
    }

    /// One field of the form.
    public struct Field: Sendable, Equatable {
        public var id: FieldID
        public var label: String
        public var value: String
        public var placeholder: String
        public var isSecret = false
        /// A field whose value is one of `suggestions`, chosen with ←/→ (typing does not change it).
        public var isChoice = false
        /// Why the field cannot be changed now (the rules' reason), or nil.
        public var disabledReason: String?
        /// A field that does not apply to the form's other choices (the VPC fields of a public endpoint): not drawn,
        /// and always disabled, so focus passes it by.
        public var isHidden = false
        /// Values ←/→ cycle through (the clusters for the cluster field).
        public var suggestions: [String] = []
        /// The value the field had when the form opened (Edit sends only what changed).
        public var original: String = ""
    }

    public var kind: Kind
    public var fields: [Field]
    /// Index into `fields`, then `fields.count` is Cancel and `fields.count + 1` is the submit button.
    public var focus = 0
    /// The exception the service answered with, shown as KMS gives it.
    public var error: KMSError?
    public var errorField: FieldID?
    /// Found here, before sending: shown under its field instead of an exception.
    public var problem: Problem?
    public var submitting = false
    /// A line over the fields: what to change to repair a FAILED store.
    public var notice: String?
    /// True while the secret fields show their text (Ctrl-R); they are masked until then.
    public var revealsSecrets = false
    /// The proxy configuration file whose values are in the form, once read.
    public var proxyConfigurationFileRead: String?

    var cancelIndex: Int { fields.count }
    var submitIndex: Int { fields.count + 1 }

    var title: String {
        switch kind {
        case .create: "Create key store"
        case .createExternal: "Create external key store"
        case .edit: "Edit key store"
        case .createKey: "Create a KMS key in"
        }
    }

    var submitTitle: String {
        switch kind {
        case .create, .createExternal: "Create"
        case .edit: "Save"
        case .createKey: "Create key"
        }
    }

    /// The ID of the store the form is about (Edit, Create key).
    var storeId: String? {
        switch kind {
        case .create, .createExternal: nil
        case let .edit(id), let .createKey(id): id
        }
    }

    func value(_ id: FieldID) -> String {
        fields.first { $0.id == id }?.value ?? ""
    }

    func field(_ id: FieldID) -> Field? {
        fields.first { $0.id == id }
    }

    func index(of id: FieldID) -> Int? {
        fields.firstIndex { $0.id == id }
    }

    /// Sets a field's value when the field is there and enabled.
    mutating func fill(_ id: FieldID, with value: String) {
        if let index = index(of: id), fields[index].disabledReason == nil { fields[index].value = value }
    }
}
