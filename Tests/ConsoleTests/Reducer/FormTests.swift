@testable import Console
import KeyStoreEngine
import Testing

@Suite("Create and Edit forms")
struct FormTests {
    @Test func createOffersFreeClustersAndSendsWhatWasTyped() {
        var driver = Driver()
        driver.press(.character("n"))
        guard case let .form(form) = driver.state.modal else { Issue.record("no form"); return }
        #expect(form.field(.cluster)?.suggestions == ["cluster-free7g2h3i4j"], "only ACTIVE clusters no store uses")
        driver.type("payments-2")
        driver.press(.tab, .tab, .tab)
        driver.type("kmsuserPass1")
        let effects = driver.press(.control("s"))
        #expect(effects == [.create(CreateDraft(name: "payments-2", cloudHsmClusterId: "cluster-free7g2h3i4j",
                                                trustAnchorPath: "", keyStorePassword: "kmsuserPass1"))])
        guard case let .form(sent) = driver.state.modal else { Issue.record("form closed too early"); return }
        #expect(sent.submitting)
        driver.send(.created(id: "cks-99", name: "payments-2"))
        #expect(driver.state.modal == nil)
        #expect(driver.state.status?.text.hasPrefix("Created payments-2 (cks-99).") == true)
    }

    @Test func kmsErrorsShowTheExceptionAndTheMessageAtTheField() {
        var driver = Driver()
        driver.press(.character("n"))
        driver.type("x")
        driver.press(.control("s"))
        let error = KMSError(.validation, "1 validation error detected: Value at 'keyStorePassword' failed to satisfy constraint: Member must have length between 7 and 32.")
        driver.send(.createFailed(error))
        guard case let .form(form) = driver.state.modal else { Issue.record("form closed"); return }
        #expect(form.error == error)
        #expect(form.errorField == .password)
        #expect(form.fields[form.focus].id == .password)
        #expect(!form.submitting)
        let text = driver.frame().text
        #expect(text.contains("ValidationException"))
        #expect(text.contains("Member must have length between 7 and 32."))
    }

    @Test func editOfAConnectedStoreOnlyRenames() {
        var driver = Driver()
        driver.select("prod-payments")
        driver.press(.character("e"))
        guard case let .form(form) = driver.state.modal else { Issue.record("no form"); return }
        let reason = KeyStoreRules.verdict(for: .editSettings, on: driver.state.stores[Fixtures.prodId]!).reason
        #expect(form.field(.password)?.disabledReason == reason)
        #expect(form.field(.cluster)?.disabledReason == reason)
        driver.press(.control("u"))
        driver.type("prod-cards")
        driver.press(.tab)
        if case let .form(moved) = driver.state.modal { #expect(moved.focus == moved.cancelIndex, "disabled fields are skipped") }
        let effects = driver.press(.control("s"))
        #expect(effects == [.update(UpdateKeyStoreRequest(customKeyStoreId: Fixtures.prodId, newName: "prod-cards"))])
    }

    @Test func editWithNothingChangedSaysSo() {
        var driver = Driver()
        driver.select("analytics")
        driver.press(.character("e"))
        #expect(driver.press(.control("s")).isEmpty)
        guard case let .form(form) = driver.state.modal else { Issue.record("no form"); return }
        #expect(form.notice == "Nothing changed: edit a field, or Esc to close.")
    }

    @Test func clusterFieldCyclesWithArrows() {
        var driver = Driver()
        driver.select("analytics")
        driver.press(.character("e"))
        driver.press(.tab)
        driver.press(.right)
        guard case let .form(form) = driver.state.modal else { Issue.record("no form"); return }
        // The clusters of other stores are not offered: the next one is the free cluster.
        #expect(form.value(.cluster) == "cluster-free7g2h3i4j")
    }
}

@Suite("The trust anchor of a new store on AWS")
struct TrustAnchorFormTests {
    @Test func anEmptyFileFieldIsRefusedWhenTheClusterHasNoKnownAnchor() {
        var driver = Driver(Fixtures.awsState(size: Size(width: 100, height: 30)))
        driver.press(.character("n"))
        guard case let .form(opened) = driver.state.modal else { Issue.record("no form"); return }
        #expect(opened.field(.trustAnchor)?.placeholder == "path to customerCA.crt (required)")
        driver.type("payments-2")
        driver.press(.tab, .tab, .tab)
        driver.type("kmsuserPass1")
        #expect(driver.press(.control("s")).isEmpty, "nothing is sent")
        guard case let .form(form) = driver.state.modal else { Issue.record("the form closed"); return }
        #expect(!form.submitting)
        #expect(form.problem?.field == .trustAnchor)
        #expect(form.fields[form.focus].id == .trustAnchor, "the cursor goes to the field to fill")
        let frame = driver.frame()
        let words = frame.text.split(whereSeparator: { $0.isWhitespace || $0 == "│" }).joined(separator: " ")
        #expect(words.contains("✗ Required: DescribeClusters does not return a cluster's trust anchor. Give the path to the "
            + "customerCA.crt that was used to initialize cluster-free7g2h3i4j."))
        #expect(frame.style(of: "✗ Required")?.role == .fieldError)

        driver.type("~/customerCA.crt")
        let effects = driver.press(.control("s"))
        #expect(effects == [.create(CreateDraft(name: "payments-2", cloudHsmClusterId: "cluster-free7g2h3i4j",
                                                trustAnchorPath: "~/customerCA.crt", keyStorePassword: "kmsuserPass1"))])
        guard case let .form(sent) = driver.state.modal else { Issue.record("the form closed"); return }
        #expect(sent.problem == nil)
    }

    @Test func anUnknownClusterNeedsAFileToo() {
        var driver = Driver(Fixtures.awsState())
        driver.press(.character("n"))
        driver.type("payments-2")
        driver.press(.tab, .control("u"))
        driver.type("cluster-nowhere")
        #expect(driver.press(.control("s")).isEmpty)
        guard case let .form(form) = driver.state.modal else { Issue.record("the form closed"); return }
        #expect(form.problem?.message.hasPrefix("cluster-nowhere is not among the clusters this account can see") == true)
    }

    @Test func aProblemFoundReadingTheFileShowsAtTheField() {
        var driver = Driver(Fixtures.awsState())
        driver.press(.character("n"))
        driver.type("payments-2")
        driver.press(.tab, .tab)
        driver.type("/tmp/none.crt")
        driver.press(.control("s"))
        let problem = FormState.Problem(field: .trustAnchor, message: "There is no file /tmp/none.crt.")
        driver.send(.createInvalid(problem))
        guard case let .form(form) = driver.state.modal else { Issue.record("the form closed"); return }
        #expect(form.problem == problem && !form.submitting)
        #expect(driver.state.log.entries.last?.text == "Not sent: There is no file /tmp/none.crt.")
    }
}
