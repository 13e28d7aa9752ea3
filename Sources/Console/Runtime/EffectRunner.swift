import Foundation
import KeyStoreEngine

/// Does the engine work the reducer asks for and sends the answers back as actions.
/// Terminal effects (redraw, clipboard) are the runtime's, and a switch of Region the `EffectHost`'s.
struct EffectRunner: Sendable {
    let service: any KeyStoreService
    let send: @Sendable (Action) -> Void

    /// Starts the work of an effect; returns its task so that the host can cancel it on a switch or on exit.
    @discardableResult
    func run(_ effect: Effect) -> Task<Void, Never>? {
        let service = service
        let send = send
        switch effect {
        case .redrawAll, .copyToClipboard, .switchRegion, .answerCode:
            return nil
        case .followEvents:
            return Task {
                // The proxies' health answers change without an event (KMS's periodic probes): followed alongside.
                await withDiscardingTaskGroup { group in
                    if let observation = service as? any XKSProxyObservation {
                        group.addTask {
                            for await id in observation.proxyHealthChanges() { send(.proxyHealthChanged(storeId: id)) }
                        }
                    }
                    await Self.followEvents(service, send)
                    group.cancelAll()
                }
            }
        case .loadStores:
            return Task {
                do throws(KMSError) { send(.storesLoaded(try await service.allKeyStores())) } catch { send(.storesFailed(error)) }
            }
        case let .loadStore(id):
            return Task {
                do throws(KMSError) {
                    if let store = try await service.describeKeyStores(DescribeKeyStoresRequest(customKeyStoreId: id)).keyStores.first {
                        send(.storeLoaded(store))
                    } else {
                        send(.storeVanished(id: id))
                    }
                } catch where error.code == .customKeyStoreNotFound {
                    send(.storeVanished(id: id))
                } catch {
                    send(.storesFailed(error))
                }
            }
        case .loadClusters:
            return Task {
                do throws(KMSError) { send(.clustersLoaded(try await service.clusters())) } catch { send(.clustersFailed(error)) }
            }
        case let .loadKeys(id):
            return Task {
                do throws(KMSError) { send(.keysLoaded(storeId: id, try await service.keys(inKeyStore: id))) } catch {
                    send(.keysFailed(storeId: id, error))
                }
            }
        case let .loadHistory(id):
            return Task {
                do throws(KMSError) { send(.historyLoaded(storeId: id, try await service.history(ofKeyStore: id))) } catch {
                    send(.historyFailed(storeId: id, error))
                }
            }
        case let .loadTransition(id):
            guard let regional = service as? any RegionalKeyStoreService else { return nil }
            return Task { send(.transitionLoaded(storeId: id, await regional.transitionProgress(ofKeyStore: id))) }
        case let .startWorkflow(kind, id):
            // The request runs in a task of its own, which cancelling the follower does not reach: a connect or
            // disconnect is never abandoned before KMS answers it, and its answer is always sent.
            let request = Task { () async -> Result<AsyncStream<WorkflowUpdate>, KMSError> in
                do throws(KMSError) {
                    return .success(try await WorkflowTracker.start(kind, keyStoreId: id, on: service))
                } catch {
                    return .failure(error)
                }
            }
            return Task {
                switch await request.value {
                case let .failure(error):
                    send(.workflowRejected(kind, storeId: id, error))
                case let .success(updates):
                    send(.workflowAccepted(kind, storeId: id))
                    for await update in updates {
                        if Task.isCancelled { break }
                        send(.workflowUpdate(kind, storeId: id, update))
                    }
                }
            }
        case let .create(draft):
            return Task {
                do throws(KMSError) {
                    switch try await Self.createRequest(draft, service: service) {
                    case let .failure(problem):
                        send(.createInvalid(problem))
                    case let .success(request):
                        let id = try await service.createKeyStore(request)
                        send(.created(id: id, name: draft.name))
                    }
                } catch {
                    send(.createFailed(error))
                }
            }
        case let .createKeyStore(request):
            return Task {
                do throws(KMSError) {
                    let id = try await service.createKeyStore(request)
                    send(.created(id: id, name: request.name))
                } catch {
                    send(.createFailed(error))
                }
            }
        case let .readProxyConfiguration(path, thenSubmit):
            return Task { send(.proxyConfigurationRead(path: path, ProxyConfigurationFile.read(path), thenSubmit: thenSubmit)) }
        case let .createKey(storeId, description, xksKeyId):
            guard let keyService = service as? any KMSKeyService else {
                send(.keyCreateFailed(storeId: storeId, KMSError(.unsupportedOperation, "This backend cannot create KMS keys.")))
                return nil
            }
            return Task {
                do throws(KMSError) {
                    let key = try await keyService.createKey(inKeyStore: storeId, description: description, xksKeyId: xksKeyId)
                    send(.keyCreated(storeId: storeId, key))
                } catch {
                    send(.keyCreateFailed(storeId: storeId, error))
                }
            }
        case let .loadProxyObservation(id):
            guard let observation = service as? any XKSProxyObservation else {
                send(.proxyObservationLoaded(storeId: id, nil))
                return nil
            }
            return Task {
                do throws(KMSError) {
                    let health = try await observation.proxyHealth(ofKeyStore: id)
                    let requests = try await observation.proxyRequests(ofKeyStore: id, limit: ProxyObservation.requestLimit)
                    send(.proxyObservationLoaded(storeId: id, ProxyObservation(health: health, requests: requests)))
                } catch {
                    send(.proxyObservationFailed(storeId: id, error))
                }
            }
        case let .update(request):
            return Task {
                do throws(KMSError) {
                    try await service.updateKeyStore(request)
                    send(.updated(storeId: request.customKeyStoreId, newName: request.newName))
                } catch {
                    send(.updateFailed(storeId: request.customKeyStoreId, error))
                }
            }
        case let .loadRepairContext(id):
            guard let simulated = service as? any SimulatedRepairs else { return nil }
            return Task {
                if let context = try? await simulated.repairContext(forKeyStore: id) { send(.repairContextLoaded(storeId: id, context)) }
            }
        case let .loadXKSRepairAction(id, code):
            guard let simulated = service as? any SimulatedRepairs else { return nil }
            return Task {
                do throws(KMSError) {
                    send(.xksRepairActionLoaded(storeId: id, code: code, try await simulated.xksRepairAction(for: code, ofKeyStore: id)))
                } catch {
                    send(.xksRepairActionFailed(storeId: id, code: code, error))
                }
            }
        case let .applySimulatedRepair(action, id, context):
            guard let simulated = service as? any SimulatedRepairs else {
                send(.simulatedRepairFailed(storeId: id, KMSError(.validation, "This backend has no simulated fixes: fix the cause in the cluster.")))
                return nil
            }
            return Task {
                do throws(KMSError) {
                    // The world as it is now, with the values the console already showed (the password) kept.
                    var current = try await simulated.repairContext(forKeyStore: id)
                    current.password = context.password ?? current.password
                    current.subnetId = context.subnetId ?? current.subnetId
                    if !context.zones.isEmpty { current.zones = context.zones }
                    send(.simulatedRepairApplied(storeId: id, try await simulated.applyRepair(action, context: current)))
                } catch {
                    send(.simulatedRepairFailed(storeId: id, error))
                }
            }
        case let .keyAction(action, keyId, storeId, days):
            guard let keyService = service as? any KMSKeyService else {
                send(.keyActionFailed(action, storeId: storeId, keyId: keyId,
                                      KMSError(.unsupportedOperation, "This backend offers no KMS key actions.")))
                return nil
            }
            return Task {
                do throws(KMSError) {
                    var deletionDate: Date?
                    switch action {
                    case .enable: try await keyService.enableKey(keyId)
                    case .disable: try await keyService.disableKey(keyId)
                    case .scheduleDeletion:
                        deletionDate = try await keyService.scheduleKeyDeletion(
                            keyId, pendingWindowInDays: days ?? KeyRules.defaultPendingWindowDays)
                    case .cancelDeletion: try await keyService.cancelKeyDeletion(keyId)
                    }
                    send(.keyActionDone(action, storeId: storeId, keyId: keyId, deletionDate: deletionDate))
                } catch {
                    send(.keyActionFailed(action, storeId: storeId, keyId: keyId, error))
                }
            }
        case let .delete(id):
            return Task {
                do throws(KMSError) {
                    try await service.deleteKeyStore(id: id)
                    send(.deleted(storeId: id))
                } catch {
                    send(.deleteFailed(storeId: id, error))
                }
            }
        }
    }

    /// The trust anchor comes from a file, or (when none is given) from the cluster, when the engine knows it;
    /// a file that is not a certificate, or a cluster whose certificate is unknown, is a problem of the form.
    static func createRequest(_ draft: CreateDraft, service: any KeyStoreService) async throws(KMSError)
        -> Result<CreateKeyStoreRequest, FormState.Problem> {
        let pem: String
        if draft.trustAnchorPath.isEmpty {
            let clusters = Dictionary(try await service.clusters().map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
            if let problem = Forms.missingTrustAnchor(draft, clusters: clusters) { return .failure(problem) }
            pem = clusters[draft.cloudHsmClusterId]?.trustAnchorCertificate ?? ""
        } else {
            switch TrustAnchorFile.read(draft.trustAnchorPath) {
            case let .success(text): pem = text
            case let .failure(problem): return .failure(problem)
            }
        }
        return .success(CreateKeyStoreRequest(name: draft.name, cloudHsmClusterId: draft.cloudHsmClusterId,
                                              trustAnchorCertificate: pem, keyStorePassword: draft.keyStorePassword))
    }

    /// Sends every event of the service from now on, then says when the stream ended without being cancelled.
    private static func followEvents(_ service: any KeyStoreService, _ send: @Sendable (Action) -> Void) async {
        do throws(KMSError) {
            let cursor = try await service.latestEventSequence()
            send(.eventsFollowed(after: cursor))
            for await event in service.events(after: cursor) {
                if Task.isCancelled { break }
                send(.engineEvent(event))
            }
            if !Task.isCancelled {
                send(.eventsFailed(KMSError(.endpointUnavailable, "The engine's event stream ended; press r to reload and follow it again.")))
            }
        } catch {
            send(.eventsFailed(error))
        }
    }
}
