import GRDB

/// The tables of a world and their migrations. A migration, once released, is never edited.
enum WorldSchema {
    /// Written into the file header (`PRAGMA application_id`) so cks recognises its own files: "cks1".
    static let applicationId: Int32 = 0x636B_7331

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE world (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    account_id TEXT NOT NULL,
                    region TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    access_key_id TEXT NOT NULL,
                    secret_access_key TEXT NOT NULL
                );
                CREATE TABLE clusters (
                    id TEXT PRIMARY KEY,
                    state TEXT NOT NULL,
                    vpc_id TEXT NOT NULL,
                    security_group TEXT NOT NULL,
                    sg_rules_intact INTEGER NOT NULL DEFAULT 1,
                    network_blocked INTEGER NOT NULL DEFAULT 0,
                    internal_error_pending INTEGER NOT NULL DEFAULT 0,
                    hsm_type TEXT NOT NULL,
                    lineage TEXT NOT NULL,
                    trust_anchor TEXT NOT NULL,
                    source_backup_id TEXT,
                    created_at REAL NOT NULL
                );
                CREATE TABLE subnets (
                    id TEXT PRIMARY KEY,
                    cluster_id TEXT NOT NULL,
                    availability_zone TEXT NOT NULL,
                    cidr_block TEXT NOT NULL,
                    free_addresses INTEGER NOT NULL,
                    deleted INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX subnets_by_cluster ON subnets(cluster_id);
                CREATE TABLE hsms (
                    id TEXT PRIMARY KEY,
                    cluster_id TEXT NOT NULL,
                    availability_zone TEXT NOT NULL,
                    subnet_id TEXT NOT NULL,
                    eni_id TEXT NOT NULL,
                    eni_ip TEXT NOT NULL,
                    state TEXT NOT NULL
                );
                CREATE INDEX hsms_by_cluster ON hsms(cluster_id);
                CREATE TABLE kms_users (
                    cluster_id TEXT PRIMARY KEY,
                    password TEXT NOT NULL,
                    locked INTEGER NOT NULL DEFAULT 0,
                    failed_logins INTEGER NOT NULL DEFAULT 0,
                    logged_in_elsewhere INTEGER NOT NULL DEFAULT 0,
                    logged_in_by_store TEXT
                );
                CREATE TABLE key_stores (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    cluster_id TEXT,
                    trust_anchor TEXT,
                    password TEXT NOT NULL,
                    state TEXT NOT NULL,
                    error_code TEXT,
                    created_at REAL NOT NULL
                );
                CREATE INDEX key_stores_by_creation ON key_stores(created_at, id);
                CREATE TABLE security_groups (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    vpc_id TEXT NOT NULL,
                    key_store_id TEXT NOT NULL,
                    cluster_id TEXT NOT NULL
                );
                CREATE TABLE network_interfaces (
                    id TEXT PRIMARY KEY,
                    key_store_id TEXT NOT NULL,
                    subnet_id TEXT NOT NULL,
                    availability_zone TEXT NOT NULL,
                    private_ip TEXT NOT NULL,
                    description TEXT NOT NULL,
                    security_group_id TEXT NOT NULL
                );
                CREATE TABLE kms_keys (
                    id TEXT PRIMARY KEY,
                    arn TEXT NOT NULL,
                    key_store_id TEXT,
                    cluster_id TEXT,
                    description TEXT NOT NULL,
                    own_state TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    deletion_date REAL,
                    key_material BLOB NOT NULL
                );
                CREATE INDEX kms_keys_by_store ON kms_keys(key_store_id);
                CREATE TABLE key_usage (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    key_id TEXT NOT NULL,
                    operation TEXT NOT NULL,
                    time REAL NOT NULL
                );
                CREATE INDEX key_usage_by_key ON key_usage(key_id, time);
                CREATE TABLE workflows (
                    key_store_id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    step TEXT NOT NULL,
                    subject TEXT,
                    due_at REAL NOT NULL,
                    started_at REAL NOT NULL,
                    pace TEXT NOT NULL
                );
                CREATE TABLE events (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    time REAL NOT NULL,
                    key_store_id TEXT,
                    kind TEXT NOT NULL
                );
                CREATE INDEX events_by_store ON events(key_store_id, sequence);
                """)
        }
        migrator.registerMigration("v2") { db in
            // Whether a cluster admin knows kmsuser's password (false once KMS changed it at a connect).
            try db.execute(sql: "ALTER TABLE kms_users ADD COLUMN password_known INTEGER NOT NULL DEFAULT 1")
        }
        migrator.registerMigration("v3-xks-stores") { db in
            // External key stores: the account's quota of custom key stores (adjustable, per the current guide),
            // the proxy settings KMS keeps (the secret too: KMS signs with it), a KMS-side
            // internal error to inject, the world's routes from proxy host names to addresses, faults of VPC
            // endpoint services, the interface endpoints and hosted zones a VPC connect makes, and each store's
            // last proxy health answer with the time of its next periodic probe.
            try db.execute(sql: """
                ALTER TABLE key_stores ADD COLUMN xks_connectivity TEXT;
                ALTER TABLE key_stores ADD COLUMN xks_uri_endpoint TEXT;
                ALTER TABLE key_stores ADD COLUMN xks_uri_path TEXT;
                ALTER TABLE key_stores ADD COLUMN xks_access_key_id TEXT;
                ALTER TABLE key_stores ADD COLUMN xks_secret TEXT;
                ALTER TABLE key_stores ADD COLUMN xks_vpc_service_name TEXT;
                ALTER TABLE key_stores ADD COLUMN xks_vpc_service_owner TEXT;
                ALTER TABLE key_stores ADD COLUMN internal_error_pending INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE world ADD COLUMN key_store_quota INTEGER NOT NULL DEFAULT 10;
                CREATE TABLE xks_routes (
                    host TEXT PRIMARY KEY,
                    target TEXT NOT NULL
                );
                CREATE TABLE xks_endpoint_service_faults (
                    name TEXT PRIMARY KEY,
                    fault TEXT NOT NULL
                );
                CREATE TABLE xks_vpc_resources (
                    id TEXT PRIMARY KEY,
                    key_store_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL
                );
                CREATE INDEX xks_vpc_resources_by_store ON xks_vpc_resources(key_store_id);
                CREATE TABLE xks_health (
                    key_store_id TEXT PRIMARY KEY,
                    checked_at REAL NOT NULL,
                    kms_operation TEXT NOT NULL,
                    latency REAL NOT NULL,
                    outcome TEXT NOT NULL,
                    next_probe_at REAL
                );
                """)
        }
        return migrator
    }
}
