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
        migrator.registerMigration("v4-xks-keys") { db in
            // A key in an external key store names its external key (XksKeyId), unique within its store.
            try db.execute(sql: """
                ALTER TABLE kms_keys ADD COLUMN xks_key_id TEXT;
                CREATE UNIQUE INDEX kms_keys_by_xks_key ON kms_keys(key_store_id, xks_key_id) WHERE xks_key_id IS NOT NULL;
                """)
        }
        return migrator
    }
}
