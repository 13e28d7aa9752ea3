import ArgumentParser
import Foundation
import KeyStoreEngine
import Simulator

/// `cks sim`: look inside the simulated account and break or repair it.
struct Sim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect the simulated world (CloudHSM clusters, routes to XKS proxies) and inject faults.",
        discussion: """
            Faults change the world the way things break in a real account; the next connect finds them and \
            ends FAILED with the ConnectionErrorCode shown. `cks sim clusters` shows every fault in place. \
            Under each, what undoes it (a FAILED `cks connect --wait` prints the whole fix, with real IDs):
              delete-cluster C                       CLUSTER_NOT_FOUND
                undo: restore-cluster C, then cks update STORE --cluster-id NEW
              remove-hsm C --all                     INSUFFICIENT_CLOUDHSM_HSMS
                undo: add-hsm C --az ZONE, in two zones
              delete-subnet S                        SUBNET_NOT_FOUND
                undo: restore-cluster C, then cks update STORE --cluster-id NEW
              fill-subnet S                          INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET
                undo: free-subnet S
              block-network C                        NETWORK_ERRORS
                undo: unblock-network C
              delete-kmsuser C                       USER_NOT_FOUND
                undo: reset-kmsuser C --password P, then cks update STORE --password P
              login-kmsuser C                        USER_LOGGED_IN
                undo: logout-kmsuser C
              set-kmsuser-password C --password P    INVALID_CREDENTIALS
                undo: cks update STORE --password P
              lock-kmsuser C                         USER_LOCKED_OUT
                undo: reset-kmsuser C --password P, then cks update STORE --password P
              internal-error C                       INTERNAL_ERROR
                undo: nothing; it happens once, so connect again
              break-security-group C                 Connect fails at once
                undo: repair-security-group C
            (the call itself throws CloudHsmClusterInvalidConfigurationException)
            External key stores: xks-route / xks-unroute (where proxy hosts lead), xks-endpoint-service \
            (VPC endpoint service faults) and xks-internal-error; proxy faults are `cks xks-proxy fault`.
            A FAILED store must be disconnected before it can be connected again.
            """,
        subcommands: [
            Clusters.self, TrustAnchorCommand.self, UseKey.self,
            DeleteCluster.self, RestoreCluster.self, RemoveHSM.self, AddHSM.self,
            DeleteSubnet.self, FillSubnet.self, FreeSubnet.self,
            BreakSecurityGroup.self, RepairSecurityGroup.self, BlockNetwork.self, UnblockNetwork.self,
            DeleteKmsUser.self, LoginKmsUser.self, LogoutKmsUser.self, SetKmsUserPassword.self, LockKmsUser.self,
            ResetKmsUser.self, InternalError.self,
        ] + xksSubcommands
    )
}

/// A `cks sim` command that applies one fault.
protocol FaultCommand: AsyncParsableCommand {
    var world: WorldOptions { get }
    var fault: WorldFault { get }
}

extension FaultCommand {
    func run() async throws {
        try await reportingErrors {
            try world.refuseIfReadOnly("change the simulated world")
            let service = try world.openSimulator(drive: false, command: "`cks sim`")
            print(try await service.apply(fault))
        }
    }
}

extension Sim {
    struct Clusters: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the clusters: HSMs per AZ, subnets and free addresses, kmsuser.")
        @Option(name: [.short, .long], help: "table or json (as `aws cloudhsmv2 describe-clusters`).") var output: OutputFormat = .table
        @OptionGroup var world: WorldOptions

        func run() async throws {
            try await reportingErrors {
                let service = try world.openSimulator(drive: false, command: "`cks sim`")
                let clusters = try await service.clusters()
                let stores = try await service.allKeyStores()
                if output == .json {
                    print(JSONValue.object([("Clusters", .array(clusters.map(\.apiJSON)))]).prettyPrinted())
                } else {
                    print(ClusterReport.render(clusters, stores: stores, style: .forStandardOutput()))
                }
            }
        }
    }

    struct TrustAnchorCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "trust-anchor",
                                                        abstract: "Print a cluster's trust anchor certificate (customerCA.crt).")
        @Argument(help: "The cluster ID.") var cluster: String
        @OptionGroup var world: WorldOptions

        func run() async throws {
            try await reportingErrors {
                let service = try world.openSimulator(drive: false, command: "`cks sim`")
                guard let found = try await service.clusters().first(where: { $0.id == cluster }),
                      let pem = found.trustAnchorCertificate, !pem.isEmpty else {
                    throw CLIError(message: "No initialized cluster \(cluster). See `cks sim clusters`.", exitCode: ExitStatus.kmsError)
                }
                print(pem)
            }
        }
    }

    struct UseKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "use-key",
                                                        abstract: "Use a key as an application would (recorded as its last use).")
        @Argument(help: "The key ID or ARN.") var key: String
        @Option(help: "The operation to record.") var operation = "Encrypt"
        @OptionGroup var world: WorldOptions

        func run() async throws {
            try await reportingErrors {
                try world.refuseIfReadOnly("record key uses")
                let service = try world.openSimulator(drive: false, command: "`cks sim`")
                let (used, _) = try await service.useKey(key, operation: operation)
                try service.writePendingUsesNow()
                print("\(operation) with \(used.id): ok")
            }
        }
    }

    struct DeleteCluster: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "delete-cluster", abstract: "Delete a cluster (→ CLUSTER_NOT_FOUND).")
        @Argument(help: "The cluster ID.") var cluster: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .deleteCluster(clusterId: cluster) }
    }

    struct RestoreCluster: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "restore-cluster",
                                                        abstract: "Create a new cluster from the latest backup of a cluster (related to it).")
        @Argument(help: "The cluster ID whose backup to restore.") var cluster: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .restoreCluster(clusterId: cluster) }
    }

    struct RemoveHSM: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "remove-hsm",
                                                        abstract: "Delete one HSM, or all (→ INSUFFICIENT_CLOUDHSM_HSMS).")
        @Argument(help: "The cluster ID.") var cluster: String
        @Option(help: "The HSM to delete.") var hsm: String?
        @Flag(help: "Delete every HSM of the cluster.") var all = false
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .removeHSM(clusterId: cluster, hsmId: hsm) }

        func validate() throws {
            if (hsm == nil) == !all { throw ValidationError("Give --hsm HSM_ID or --all.") }
        }
    }

    struct AddHSM: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "add-hsm", abstract: "Add an ACTIVE HSM in an Availability Zone.")
        @Argument(help: "The cluster ID.") var cluster: String
        @Option(help: "The Availability Zone, e.g. us-east-1a.") var az: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .addHSM(clusterId: cluster, availabilityZone: az) }
    }

    struct DeleteSubnet: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "delete-subnet", abstract: "Delete a cluster subnet (→ SUBNET_NOT_FOUND).")
        @Argument(help: "The subnet ID.") var subnet: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .deleteSubnet(subnetId: subnet) }
    }

    struct FillSubnet: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "fill-subnet",
                                                        abstract: "Take every free address of a subnet (→ INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET).")
        @Argument(help: "The subnet ID.") var subnet: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .fillSubnet(subnetId: subnet) }
    }

    struct FreeSubnet: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "free-subnet", abstract: "Free addresses in a subnet.")
        @Argument(help: "The subnet ID.") var subnet: String
        @Option(help: "How many addresses to free.") var addresses = 10
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .freeSubnet(subnetId: subnet, addresses: addresses) }
    }

    struct BreakSecurityGroup: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "break-security-group",
                                                        abstract: "Remove the cluster security group's TCP 2223-2225 rules.")
        @Argument(help: "The cluster ID.") var cluster: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .breakSecurityGroup(clusterId: cluster) }
    }

    struct RepairSecurityGroup: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "repair-security-group", abstract: "Restore the cluster security group's rules.")
        @Argument(help: "The cluster ID.") var cluster: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .repairSecurityGroup(clusterId: cluster) }
    }

    struct BlockNetwork: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "block-network", abstract: "Block traffic to the HSMs (→ NETWORK_ERRORS).")
        @Argument(help: "The cluster ID.") var cluster: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .blockNetwork(clusterId: cluster) }
    }

    struct UnblockNetwork: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "unblock-network", abstract: "Let traffic reach the HSMs again.")
        @Argument(help: "The cluster ID.") var cluster: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .unblockNetwork(clusterId: cluster) }
    }

    struct DeleteKmsUser: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "delete-kmsuser", abstract: "Delete the kmsuser crypto user (→ USER_NOT_FOUND).")
        @Argument(help: "The cluster ID.") var cluster: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .deleteKmsUser(clusterId: cluster) }
    }

    struct LoginKmsUser: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "login-kmsuser",
                                                        abstract: "Log in as kmsuser from the CloudHSM CLI (→ USER_LOGGED_IN).")
        @Argument(help: "The cluster ID.") var cluster: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .logInKmsUserElsewhere(clusterId: cluster) }
    }

    struct LogoutKmsUser: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "logout-kmsuser", abstract: "End the CloudHSM CLI session of kmsuser.")
        @Argument(help: "The cluster ID.") var cluster: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .logOutKmsUserElsewhere(clusterId: cluster) }
    }

    struct SetKmsUserPassword: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "set-kmsuser-password",
                                                        abstract: "Change kmsuser's password in the cluster (→ INVALID_CREDENTIALS).")
        @Argument(help: "The cluster ID.") var cluster: String
        @Option(help: "The new password (7-32 characters).") var password: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .setKmsUserPassword(clusterId: cluster, password: password) }
    }

    struct LockKmsUser: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "lock-kmsuser", abstract: "Lock kmsuser out (→ USER_LOCKED_OUT).")
        @Argument(help: "The cluster ID.") var cluster: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .lockKmsUser(clusterId: cluster) }
    }

    struct ResetKmsUser: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "reset-kmsuser",
                                                        abstract: "Create or unlock kmsuser, logged out, with a known password.")
        @Argument(help: "The cluster ID.") var cluster: String
        @Option(help: "The password (7-32 characters).") var password: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .resetKmsUser(clusterId: cluster, password: password) }
    }

    struct InternalError: FaultCommand {
        static let configuration = CommandConfiguration(commandName: "internal-error",
                                                        abstract: "Make the next connect to a cluster meet a KMS internal error (→ INTERNAL_ERROR).")
        @Argument(help: "The cluster ID.") var cluster: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .injectInternalError(clusterId: cluster) }
    }
}

/// The text form of `cks sim clusters`.
enum ClusterReport {
    static func render(_ clusters: [CloudHSMCluster], stores: [CustomKeyStore], style: TextStyle) -> String {
        clusters.map { cluster in
            var lines: [String] = []
            let store = stores.first { $0.cloudHsmClusterId == cluster.id }
            let stateText = cluster.state == .active ? style.green(cluster.state.rawValue) : style.yellow(cluster.state.rawValue)
            lines.append("\(style.bold(cluster.id))  \(stateText)  \(cluster.hsmType)  \(cluster.vpcId)")
            lines.append("  key store:  " + (store.map { "\($0.name) (\($0.id)) \(style.badge($0.connectionState, errorCode: $0.connectionErrorCode))" }
                                              ?? style.dim("none — free for a new key store")))
            let rules = cluster.securityGroupRulesIntact == false
                ? style.red("TCP 2223-2225 rules missing") + "; `cks sim repair-security-group \(cluster.id)` restores them" : "rules ok"
            lines.append("  security:   \(cluster.securityGroup) (\(rules))")
            lines.append("  network:    " + (cluster.networkBlocked == true
                ? style.red("blocked") + " (`cks sim unblock-network \(cluster.id)` lifts it)" : "open"))
            if cluster.internalErrorPending == true {
                lines.append("  next connect: " + style.yellow("meets a KMS internal error") + " (once; connecting again clears it)")
            }
            let hsms = cluster.hsms.filter { $0.state != .deleted }
            lines.append("  HSMs:       " + (hsms.isEmpty ? style.red("none")
                : hsms.map { "\($0.id) \($0.availabilityZone) \($0.state == .active ? $0.state.rawValue : style.yellow($0.state.rawValue))" }
                    .joined(separator: ", ")))
            for subnet in cluster.subnets {
                let free = subnet.freeAddresses.map { $0 == 0 ? style.red("0 free") : "\($0) free" } ?? "?"
                lines.append("  subnet:     \(subnet.id) \(subnet.availabilityZone) \(subnet.cidrBlock) \(free)")
            }
            for subnet in cluster.deletedSubnets {
                lines.append("  subnet:     \(subnet.id) \(subnet.availabilityZone) \(subnet.cidrBlock) " + style.red("DELETED"))
            }
            if let user = cluster.kmsUser {
                var status: [String] = []
                if !user.exists { status.append(style.red("missing")) }
                if user.lockedOut { status.append(style.red("locked out")) }
                if user.loggedInElsewhere { status.append(style.yellow("logged in elsewhere")) }
                if user.loggedInByKMS { status.append("logged in by KMS") }
                if user.exists && user.failedLogins > 0 && !user.lockedOut { status.append("\(user.failedLogins) failed logins") }
                if user.exists {
                    status.append(user.knownPassword.map { "password \($0)" } ?? "password known only to KMS (it changes it at each connect)")
                }
                lines.append("  kmsuser:    " + (status.isEmpty ? "ok" : status.joined(separator: ", ")))
                if store == nil || !user.exists || user.lockedOut || user.knownPassword == nil {
                    lines.append(style.dim("              set a password you know: cks sim reset-kmsuser \(cluster.id) --password P"))
                }
            }
            return lines.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}
