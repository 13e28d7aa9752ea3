import GRDB

/// The tables of the proxy's state file.
enum ProxySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE setting (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE key_store (prefix TEXT PRIMARY KEY NOT NULL, created_at REAL NOT NULL);
                CREATE TABLE credential (
                    access_key_id TEXT PRIMARY KEY NOT NULL,
                    prefix TEXT NOT NULL REFERENCES key_store(prefix),
                    secret TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE TABLE external_key (
                    prefix TEXT NOT NULL REFERENCES key_store(prefix),
                    id TEXT NOT NULL,
                    material BLOB NOT NULL,
                    usages TEXT NOT NULL,
                    enabled INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (prefix, id)
                );
                """)
        }
        return migrator
    }
}
