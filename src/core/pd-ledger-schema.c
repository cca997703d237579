#define G_LOG_DOMAIN "pd-ledger"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pd-ledger-private.h"

/* 0x50644c67, "PdLg": marks the file as a Paydesk ledger for `file` and for us. */
#define LEDGER_APPLICATION_ID 1348750439

/* 8 MiB of page cache: the ledger's whole memory budget at a million rows. */
#define LEDGER_CACHE_KIB 8192

/* What the text search looks in, one field a line; the same expression must
 * feed both the index and its deletions, as the index keeps no copy. */
#define SEARCH_TEXT(row) \
  "ifnull(" row ".order_id, '') || char(10) || " row ".reference || char(10) || " \
  "ifnull(" row ".customer_name, '') || char(10) || ifnull(" row ".customer_email, '') || char(10) || " \
  "ifnull(" row ".card_last_four, '')"

/*
 * The migrations, applied in order, each in its own transaction with
 * PRAGMA user_version set to its number. Never edit one that has shipped:
 * add the next.
 *
 * Indexes: every list is one account's, newest first, so each filter has an
 * index that starts with the account and its own column and ends with
 * created_at; the row id, implicit at the end of every index, breaks ties.
 * The created_at index carries the amount so that an amount range that
 * matches many rows is checked in the index, without reading rows.
 *
 * The text search is a contentless FTS5 trigram index (substrings of three
 * characters or more, any case) without positions (detail=none), which keeps
 * it to about a fifth of the table; a query picks its rarest trigrams and
 * checks every candidate against the real columns. search_watermarks holds,
 * for each block of 1024 row ids, the newest created_at in it, so that a
 * search walking row ids downwards knows when no older row can still make
 * the first page.
 */
static const char * const migrations[] = {
  /* 1 */
  "PRAGMA application_id = " G_STRINGIFY (LEDGER_APPLICATION_ID) ";"

  "CREATE TABLE transactions ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id TEXT NOT NULL,"
  "  gateway TEXT NOT NULL,"
  "  reference TEXT NOT NULL,"
  "  order_id TEXT,"
  "  amount INTEGER NOT NULL CHECK (amount >= 0),"
  "  currency TEXT,"
  "  status TEXT NOT NULL,"
  "  gateway_status TEXT,"
  "  provider TEXT,"
  "  payment_method TEXT,"
  "  card_brand TEXT,"
  "  card_last_four TEXT CHECK (card_last_four IS NULL OR"
  "    (length (card_last_four) BETWEEN 1 AND 4 AND card_last_four NOT GLOB '*[^0-9]*')),"
  "  customer_name TEXT,"
  "  customer_email TEXT,"
  "  customer_phone TEXT,"
  "  metadata TEXT,"
  "  mode TEXT NOT NULL,"
  "  refunded_amount INTEGER NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),"
  "  created_at INTEGER NOT NULL,"
  "  completed_at INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER NOT NULL,"
  "  UNIQUE (account_id, reference)"
  ");"
  "CREATE INDEX transactions_by_created ON transactions (account_id, created_at, id, amount);"
  "CREATE INDEX transactions_by_status ON transactions (account_id, status, created_at);"
  "CREATE INDEX transactions_by_currency ON transactions (account_id, currency, created_at);"
  "CREATE INDEX transactions_by_provider ON transactions (account_id, provider, created_at);"
  "CREATE INDEX transactions_by_amount ON transactions (account_id, amount);"
  "CREATE INDEX transactions_by_order ON transactions (account_id, order_id);"
  "CREATE INDEX transactions_unsettled ON transactions (account_id, updated_at)"
  "  WHERE status IN ('unknown', 'initialized', 'pending', 'authorized');"

  "CREATE TABLE status_events ("
  "  id INTEGER PRIMARY KEY,"
  "  transaction_id INTEGER NOT NULL REFERENCES transactions (id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  gateway_status TEXT,"
  "  at INTEGER NOT NULL,"
  "  note TEXT"
  ");"
  "CREATE INDEX status_events_by_transaction ON status_events (transaction_id, at);"

  "CREATE TABLE refunds ("
  "  id INTEGER PRIMARY KEY,"
  "  transaction_id INTEGER NOT NULL REFERENCES transactions (id) ON DELETE CASCADE,"
  "  amount INTEGER NOT NULL CHECK (amount > 0),"
  "  currency TEXT,"
  "  requested_at INTEGER NOT NULL,"
  "  outcome TEXT NOT NULL,"
  "  message TEXT,"
  "  note TEXT,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX refunds_by_transaction ON refunds (transaction_id, requested_at);"

  "CREATE TABLE payment_links ("
  "  account_id TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  transaction_id TEXT,"
  "  checkout_url TEXT,"
  "  amount INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),"
  "  currency TEXT,"
  "  payment_methods TEXT,"
  "  external_id TEXT,"
  "  status TEXT NOT NULL,"
  "  mode TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  seen_at INTEGER NOT NULL,"
  "  PRIMARY KEY (account_id, id)"
  ");"
  "CREATE INDEX payment_links_by_created ON payment_links (account_id, created_at);"
  "CREATE INDEX payment_links_by_transaction ON payment_links (account_id, transaction_id);"

  "CREATE TABLE subscriptions ("
  "  account_id TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  plan_id TEXT,"
  "  customer_email TEXT,"
  "  customer_name TEXT,"
  "  status TEXT NOT NULL,"
  "  checkout_url TEXT,"
  "  current_period_start INTEGER NOT NULL DEFAULT 0,"
  "  current_period_end INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  mode TEXT NOT NULL,"
  "  seen_at INTEGER NOT NULL,"
  "  PRIMARY KEY (account_id, id)"
  ");"
  "CREATE INDEX subscriptions_by_created ON subscriptions (account_id, created_at);"

  "CREATE VIRTUAL TABLE transactions_search USING fts5 ("
  "  text, content = '', tokenize = 'trigram', detail = none, columnsize = 0"
  ");"
  "CREATE TRIGGER transactions_search_insert AFTER INSERT ON transactions BEGIN"
  "  INSERT INTO transactions_search (rowid, text) VALUES (new.id, " SEARCH_TEXT ("new") ");"
  "END;"
  "CREATE TRIGGER transactions_search_update"
  "  AFTER UPDATE OF order_id, reference, customer_name, customer_email, card_last_four ON transactions"
  "  WHEN old.order_id IS NOT new.order_id OR old.reference IS NOT new.reference"
  "    OR old.customer_name IS NOT new.customer_name OR old.customer_email IS NOT new.customer_email"
  "    OR old.card_last_four IS NOT new.card_last_four BEGIN"
  "  INSERT INTO transactions_search (transactions_search, rowid, text)"
  "    VALUES ('delete', old.id, " SEARCH_TEXT ("old") ");"
  "  INSERT INTO transactions_search (rowid, text) VALUES (new.id, " SEARCH_TEXT ("new") ");"
  "END;"
  "CREATE TRIGGER transactions_search_delete AFTER DELETE ON transactions BEGIN"
  "  INSERT INTO transactions_search (transactions_search, rowid, text)"
  "    VALUES ('delete', old.id, " SEARCH_TEXT ("old") ");"
  "END;"

  "CREATE TABLE search_watermarks ("
  "  block INTEGER PRIMARY KEY,"
  "  max_created_at INTEGER NOT NULL"
  ");"
  "CREATE TRIGGER search_watermarks_insert AFTER INSERT ON transactions BEGIN"
  "  INSERT INTO search_watermarks (block, max_created_at) VALUES (new.id >> 10, new.created_at)"
  "    ON CONFLICT (block) DO UPDATE SET max_created_at = excluded.max_created_at"
  "    WHERE excluded.max_created_at > max_created_at;"
  "END;"
  "CREATE TRIGGER search_watermarks_update AFTER UPDATE OF created_at ON transactions"
  "  WHEN new.created_at > old.created_at BEGIN"
  "  INSERT INTO search_watermarks (block, max_created_at) VALUES (new.id >> 10, new.created_at)"
  "    ON CONFLICT (block) DO UPDATE SET max_created_at = excluded.max_created_at"
  "    WHERE excluded.max_created_at > max_created_at;"
  "END;",
};

/* Lets a cancelled read stop inside a long statement. */
static int
progress_cb (gpointer user_data)
{
  PdLedgerDb *db = user_data;

  return db->cancellable != NULL && g_cancellable_is_cancelled (db->cancellable);
}

static gboolean
pragma_int (PdLedgerDb  *db,
            const char  *sql,
            gint64      *value,
            GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt = pd_ledger_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pd_ledger_db_fail (db, rc, error);
  *value = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

static gboolean
check_identity (PdLedgerDb  *db,
                gint64      *version,
                GError     **error)
{
  gint64 application_id;
  gint64 n_tables;

  /* The first read of the file: garbage fails here as SQLITE_NOTADB. */
  if (!pragma_int (db, "PRAGMA application_id", &application_id, error) ||
      !pragma_int (db, "PRAGMA user_version", version, error) ||
      !pragma_int (db, "SELECT count(*) FROM sqlite_schema", &n_tables, error))
    return FALSE;

  if (application_id != LEDGER_APPLICATION_ID && (application_id != 0 || n_tables > 0))
    {
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_CORRUPT,
                   _("“%s” is not a Paydesk ledger, or it is damaged."), db->path);
      return FALSE;
    }
  if (*version > (gint64) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_TOO_NEW,
                   _("The ledger “%s” was written by a newer version of Paydesk."), db->path);
      return FALSE;
    }

  return TRUE;
}

/*
 * synchronous=FULL: in WAL mode NORMAL already keeps every committed row
 * through a kill of the process (the WAL frames are in the kernel's cache
 * when COMMIT returns) but may lose the last commits to a power cut or an OS
 * crash. The ledger commits a few rows a minute, off the main thread, so an
 * fsync per commit costs nothing anyone notices and makes COMMIT durable
 * against those too.
 */
static gboolean
configure (PdLedgerDb  *db,
           GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt = NULL;
  const char *mode;
  int rc;

  sqlite3_busy_timeout (db->handle, 5000);
  sqlite3_progress_handler (db->handle, 1000, progress_cb, db);

  stmt = pd_ledger_db_prepare (db, "PRAGMA journal_mode = WAL", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pd_ledger_db_fail (db, rc, error);
  mode = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (mode, "wal") != 0)
    {
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_CANNOT_OPEN,
                   _("Could not open the ledger “%s”: its folder does not allow the journal it needs."),
                   db->path);
      return FALSE;
    }

  return pd_ledger_db_exec (db,
                            "PRAGMA synchronous = FULL;"
                            "PRAGMA foreign_keys = ON;"
                            "PRAGMA cache_size = -" G_STRINGIFY (LEDGER_CACHE_KIB) ";"
                            "PRAGMA journal_size_limit = 8388608;",
                            error) &&
         pd_ledger_register_functions (db, error);
}

static gboolean
migrate (PdLedgerDb  *db,
         gint64       version,
         GError     **error)
{
  for (gsize i = version; i < G_N_ELEMENTS (migrations); i++)
    {
      /* PRAGMA takes no parameters; the number is ours, not data. */
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %" G_GSIZE_FORMAT, i + 1);

      if (!pd_ledger_db_begin (db, error))
        return FALSE;
      if (!pd_ledger_db_exec (db, migrations[i], error) ||
          !pd_ledger_db_exec (db, set_version, error) ||
          !pd_ledger_db_commit (db, error))
        {
          pd_ledger_db_rollback (db);
          return FALSE;
        }
      g_debug ("%s: migrated to version %" G_GSIZE_FORMAT, db->path, i + 1);
    }

  return TRUE;
}

gboolean
pd_ledger_db_open (PdLedgerDb  *db,
                   GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (db->path);
  gint64 version = 0;
  int rc;

  g_return_val_if_fail (db->handle == NULL, FALSE);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PD_LEDGER_ERROR,
                   saved_errno == EROFS ? PD_LEDGER_ERROR_READ_ONLY : PD_LEDGER_ERROR_CANNOT_OPEN,
                   _("Could not open the ledger “%s”: %s"), db->path, g_strerror (saved_errno));
      return FALSE;
    }

  /* NOMUTEX: only the worker thread ever uses the connection. */
  rc = sqlite3_open_v2 (db->path, &db->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      pd_ledger_db_fail (db, rc, error);
      pd_ledger_db_close (db);
      return FALSE;
    }

  /* SQLite quietly opens a file it cannot write read-only. */
  if (sqlite3_db_readonly (db->handle, "main") == 1)
    {
      pd_ledger_db_fail (db, SQLITE_READONLY, error);
      pd_ledger_db_close (db);
      return FALSE;
    }

  if (!check_identity (db, &version, error) ||
      !configure (db, error) ||
      !migrate (db, version, error))
    {
      pd_ledger_db_close (db);
      return FALSE;
    }

  return TRUE;
}

void
pd_ledger_db_close (PdLedgerDb *db)
{
  g_hash_table_remove_all (db->statements);
  g_hash_table_remove_all (db->queries);
  if (db->handle != NULL)
    {
      int rc = sqlite3_close_v2 (db->handle);

      if (rc != SQLITE_OK)
        g_debug ("%s: close: %s", db->path, sqlite3_errstr (rc));
      db->handle = NULL;
    }
}
