#define G_LOG_DOMAIN "pd-ledger"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "pd-ledger-private.h"

/* Filter queries come in many shapes; past this many, the cache starts over. */
#define MAX_CACHED_QUERIES 64

G_DEFINE_QUARK (pd-ledger-error-quark, pd_ledger_error)

PdLedgerDb *
pd_ledger_db_new (const char *path)
{
  PdLedgerDb *db = g_new0 (PdLedgerDb, 1);

  db->path = g_strdup (path);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) sqlite3_finalize);
  db->queries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) sqlite3_finalize);

  return db;
}

void
pd_ledger_db_free (PdLedgerDb *db)
{
  pd_ledger_db_close (db);
  g_hash_table_unref (db->statements);
  g_hash_table_unref (db->queries);
  g_free (db->path);
  g_free (db);
}

gint64
pd_ledger_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Turns an SQLite result code into a PD_LEDGER_ERROR a person can act on.
 * SQLite's own text goes to the debug log only: it names columns and
 * constraints, never values, but it is not written for the merchant. */
gboolean
pd_ledger_db_fail (PdLedgerDb  *db,
                   int          rc,
                   GError     **error)
{
  const char *detail = db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc);
  int system_errno = db->handle != NULL ? sqlite3_system_errno (db->handle) : 0;

  g_debug ("%s: SQLite error %d: %s", db->path, rc, detail);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_DISK_FULL,
                   _("The disk is full: the ledger could not save the change. Free some space and try again."));
      break;

    case SQLITE_READONLY:
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_READ_ONLY,
                   _("The ledger “%s” is read-only: nothing could be saved."), db->path);
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_CORRUPT,
                   _("“%s” is not a Paydesk ledger, or it is damaged."), db->path);
      break;

    case SQLITE_CANTOPEN:
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_CANNOT_OPEN,
                   _("Could not open the ledger “%s”: %s"), db->path,
                   system_errno != 0 ? g_strerror (system_errno) : _("the file cannot be created or read"));
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_BUSY,
                   _("The ledger is in use by another program. Close it and try again."));
      break;

    case SQLITE_IOERR:
      if (system_errno == ENOSPC)
        g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_DISK_FULL,
                     _("The disk is full: the ledger could not save the change. Free some space and try again."));
      else
        g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_IO,
                     _("The disk reported an error while using the ledger: %s"),
                     system_errno != 0 ? g_strerror (system_errno) : _("input/output error"));
      break;

    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_INVALID,
                   _("The ledger cannot record this data."));
      break;

    case SQLITE_INTERRUPT:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
      break;

    case SQLITE_PERM:
    case SQLITE_AUTH:
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_READ_ONLY,
                   _("The ledger “%s” is read-only: nothing could be saved."), db->path);
      break;

    default:
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_FAILED,
                   _("The ledger failed: %s"), sqlite3_errstr (rc));
      break;
    }

  return FALSE;
}

static gboolean
check_open (PdLedgerDb  *db,
            GError     **error)
{
  if (db->handle != NULL)
    return TRUE;
  g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_CLOSED, _("The ledger is closed."));
  return FALSE;
}

static sqlite3_stmt *
prepare_into (PdLedgerDb  *db,
              GHashTable  *cache,
              const char  *sql,
              gboolean     copy_key,
              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!check_open (db, error))
    return NULL;

  stmt = g_hash_table_lookup (cache, sql);
  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      pd_ledger_db_fail (db, rc, error);
      return NULL;
    }
  g_hash_table_insert (cache, copy_key ? g_strdup (sql) : (char *) sql, stmt);

  return stmt;
}

/* @sql must be a string constant: it is the cache key. */
sqlite3_stmt *
pd_ledger_db_prepare (PdLedgerDb  *db,
                      const char  *sql,
                      GError     **error)
{
  return prepare_into (db, db->statements, sql, FALSE, error);
}

/* For SQL built at run time; the statement is valid until the next call. */
sqlite3_stmt *
pd_ledger_db_prepare_query (PdLedgerDb  *db,
                            const char  *sql,
                            GError     **error)
{
  if (g_hash_table_size (db->queries) >= MAX_CACHED_QUERIES &&
      !g_hash_table_contains (db->queries, sql))
    g_hash_table_remove_all (db->queries);

  return prepare_into (db, db->queries, sql, TRUE, error);
}

void
pd_ledger_stmt_release (PdLedgerStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gboolean
pd_ledger_db_exec (PdLedgerDb  *db,
                   const char  *sql,
                   GError     **error)
{
  int rc;

  if (!check_open (db, error))
    return FALSE;

  rc = sqlite3_exec (db->handle, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return pd_ledger_db_fail (db, rc, error);

  return TRUE;
}

/* Runs a statement that returns no rows. */
gboolean
pd_ledger_db_step_done (PdLedgerDb    *db,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return pd_ledger_db_fail (db, rc, error);

  return TRUE;
}

/* IMMEDIATE takes the write lock at once, so a busy file fails here, before any work. */
gboolean
pd_ledger_db_begin (PdLedgerDb  *db,
                    GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt = pd_ledger_db_prepare (db, "BEGIN IMMEDIATE", error);

  return stmt != NULL && pd_ledger_db_step_done (db, stmt, error);
}

gboolean
pd_ledger_db_commit (PdLedgerDb  *db,
                     GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt = pd_ledger_db_prepare (db, "COMMIT", error);

  if (stmt != NULL && pd_ledger_db_step_done (db, stmt, error))
    return TRUE;
  pd_ledger_db_rollback (db);

  return FALSE;
}

/* SQLite may already have rolled back by itself (disk full, I/O error). */
void
pd_ledger_db_rollback (PdLedgerDb *db)
{
  if (db->handle == NULL || sqlite3_get_autocommit (db->handle))
    return;
  if (sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
    g_debug ("%s: rollback failed: %s", db->path, sqlite3_errmsg (db->handle));
}

void
pd_ledger_db_bind_text (sqlite3_stmt *stmt,
                        int           column,
                        const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

char *
pd_ledger_db_dup_text (sqlite3_stmt *stmt,
                       int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

PdTransaction *
pd_ledger_transaction_from_row (sqlite3_stmt *stmt)
{
  PdTransaction *transaction = pd_transaction_new ();
  PdGateway gateway = PD_GATEWAY_PESOGATE;
  PdMode mode = PD_MODE_LIVE;

  pd_gateway_from_key ((const char *) sqlite3_column_text (stmt, 2), &gateway);
  pd_mode_from_key ((const char *) sqlite3_column_text (stmt, 17), &mode);

  g_object_set (transaction,
                "ledger-id", (gint64) sqlite3_column_int64 (stmt, 0),
                "account-id", sqlite3_column_text (stmt, 1),
                "gateway", gateway,
                "reference", sqlite3_column_text (stmt, 3),
                "order-id", sqlite3_column_text (stmt, 4),
                "amount", (gint64) sqlite3_column_int64 (stmt, 5),
                "currency", sqlite3_column_text (stmt, 6),
                "status", pd_status_from_key ((const char *) sqlite3_column_text (stmt, 7)),
                "gateway-status", sqlite3_column_text (stmt, 8),
                "provider", sqlite3_column_text (stmt, 9),
                "payment-method", sqlite3_column_text (stmt, 10),
                "card-brand", sqlite3_column_text (stmt, 11),
                "card-last-four", sqlite3_column_text (stmt, 12),
                "customer-name", sqlite3_column_text (stmt, 13),
                "customer-email", sqlite3_column_text (stmt, 14),
                "customer-phone", sqlite3_column_text (stmt, 15),
                "metadata", sqlite3_column_text (stmt, 16),
                "mode", mode,
                "refunded-amount", (gint64) sqlite3_column_int64 (stmt, 18),
                "created-at", (gint64) sqlite3_column_int64 (stmt, 19),
                "completed-at", (gint64) sqlite3_column_int64 (stmt, 20),
                "updated-at", (gint64) sqlite3_column_int64 (stmt, 21),
                NULL);

  return transaction;
}

/* Runs @stmt, expected to return transaction rows, into a new list. */
GListModel *
pd_ledger_db_collect_transactions (PdLedgerDb    *db,
                                   sqlite3_stmt  *stmt,
                                   GError       **error)
{
  g_autoptr(GListStore) store = g_list_store_new (PD_TYPE_TRANSACTION);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PdTransaction) transaction = pd_ledger_transaction_from_row (stmt);

      g_list_store_append (store, transaction);
    }
  if (rc != SQLITE_DONE)
    {
      pd_ledger_db_fail (db, rc, error);
      return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&store));
}
