#define G_LOG_DOMAIN "pd-ledger"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pd-ledger-private.h"

static gboolean
set_not_found (const char  *reference,
               GError     **error)
{
  g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_NOT_FOUND,
               _("The transaction “%s” is not in the ledger."), reference);
  return FALSE;
}

static gboolean
check_key (const char  *account_id,
           const char  *key,
           GError     **error)
{
  if (account_id != NULL && *account_id != '\0' && key != NULL && *key != '\0')
    return TRUE;
  g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_INVALID,
               _("The ledger needs an account and a reference to record this."));
  return FALSE;
}

static gboolean
insert_event (PdLedgerDb         *db,
              gint64              transaction_id,
              PdLedgerEventKind   kind,
              const char         *status,
              const char         *gateway_status,
              gint64              at,
              const char         *note,
              gint64             *event_id,
              GError            **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "INSERT INTO status_events (transaction_id, kind, status, gateway_status, at, note)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, transaction_id);
  pd_ledger_db_bind_text (stmt, 2, pd_ledger_event_kind_to_key (kind));
  pd_ledger_db_bind_text (stmt, 3, status);
  pd_ledger_db_bind_text (stmt, 4, gateway_status);
  sqlite3_bind_int64 (stmt, 5, at);
  pd_ledger_db_bind_text (stmt, 6, note);
  if (!pd_ledger_db_step_done (db, stmt, error))
    return FALSE;
  if (event_id != NULL)
    *event_id = sqlite3_last_insert_rowid (db->handle);

  return TRUE;
}

/* The row with ledger id @id, or NULL with no error when there is none. */
static PdTransaction *
read_transaction (PdLedgerDb  *db,
                  gint64       id,
                  GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db, "SELECT " PD_LEDGER_TRANSACTION_COLUMNS " FROM transactions WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return pd_ledger_transaction_from_row (stmt);
  if (rc != SQLITE_DONE)
    pd_ledger_db_fail (db, rc, error);

  return NULL;
}

static gboolean
insert_transaction (PdLedgerDb     *db,
                    PdTransaction  *incoming,
                    const char     *source,
                    gint64          now,
                    gint64         *id,
                    GError        **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "INSERT INTO transactions (account_id, gateway, reference, order_id, amount, currency,"
                          " status, gateway_status, provider, payment_method, card_brand, card_last_four,"
                          " customer_name, customer_email, customer_phone, metadata, mode, refunded_amount,"
                          " created_at, completed_at, updated_at)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                          " ?17, ?18, ?19, ?20, ?21)",
                          error);
  const char *status = pd_status_to_key (pd_transaction_get_status (incoming));
  gint64 created_at = pd_transaction_get_created_at (incoming);

  if (stmt == NULL)
    return FALSE;
  pd_ledger_db_bind_text (stmt, 1, pd_transaction_get_account_id (incoming));
  pd_ledger_db_bind_text (stmt, 2, pd_gateway_to_key (pd_transaction_get_gateway (incoming)));
  pd_ledger_db_bind_text (stmt, 3, pd_transaction_get_reference (incoming));
  pd_ledger_db_bind_text (stmt, 4, pd_transaction_get_order_id (incoming));
  sqlite3_bind_int64 (stmt, 5, pd_transaction_get_amount (incoming));
  pd_ledger_db_bind_text (stmt, 6, pd_transaction_get_currency (incoming));
  pd_ledger_db_bind_text (stmt, 7, status);
  pd_ledger_db_bind_text (stmt, 8, pd_transaction_get_gateway_status (incoming));
  pd_ledger_db_bind_text (stmt, 9, pd_transaction_get_provider (incoming));
  pd_ledger_db_bind_text (stmt, 10, pd_transaction_get_payment_method (incoming));
  pd_ledger_db_bind_text (stmt, 11, pd_transaction_get_card_brand (incoming));
  pd_ledger_db_bind_text (stmt, 12, pd_transaction_get_card_last_four (incoming));
  pd_ledger_db_bind_text (stmt, 13, pd_transaction_get_customer_name (incoming));
  pd_ledger_db_bind_text (stmt, 14, pd_transaction_get_customer_email (incoming));
  pd_ledger_db_bind_text (stmt, 15, pd_transaction_get_customer_phone (incoming));
  pd_ledger_db_bind_text (stmt, 16, pd_transaction_get_metadata (incoming));
  pd_ledger_db_bind_text (stmt, 17, pd_mode_to_key (pd_transaction_get_mode (incoming)));
  sqlite3_bind_int64 (stmt, 18, pd_transaction_get_refunded_amount (incoming));
  /* Without the gateway's creation time, first seen is the best guess for sorting. */
  sqlite3_bind_int64 (stmt, 19, created_at > 0 ? created_at : now);
  sqlite3_bind_int64 (stmt, 20, pd_transaction_get_completed_at (incoming));
  sqlite3_bind_int64 (stmt, 21, now);
  if (!pd_ledger_db_step_done (db, stmt, error))
    return FALSE;
  *id = sqlite3_last_insert_rowid (db->handle);

  return insert_event (db, *id, PD_LEDGER_EVENT_CREATED, status,
                       pd_transaction_get_gateway_status (incoming), now, source, NULL, error);
}

static gboolean
update_transaction (PdLedgerDb     *db,
                    PdTransaction  *incoming,
                    const char     *source,
                    gint64          now,
                    gint64          id,
                    const char     *old_status,
                    const char     *old_gateway_status,
                    GError        **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "UPDATE transactions SET"
                          " gateway = ?2,"
                          " order_id = coalesce (?3, order_id),"
                          " amount = CASE WHEN ?4 > 0 THEN ?4 ELSE amount END,"
                          " currency = coalesce (?5, currency),"
                          " status = ?6,"
                          " gateway_status = ?7,"
                          " provider = coalesce (?8, provider),"
                          " payment_method = coalesce (?9, payment_method),"
                          " card_brand = coalesce (?10, card_brand),"
                          " card_last_four = coalesce (?11, card_last_four),"
                          " customer_name = coalesce (?12, customer_name),"
                          " customer_email = coalesce (?13, customer_email),"
                          " customer_phone = coalesce (?14, customer_phone),"
                          " metadata = coalesce (?15, metadata),"
                          " mode = ?16,"
                          " refunded_amount = max (refunded_amount, ?17),"
                          " created_at = CASE WHEN created_at = 0 AND ?18 > 0 THEN ?18 ELSE created_at END,"
                          " completed_at = CASE WHEN ?19 > 0 THEN ?19 ELSE completed_at END,"
                          " updated_at = ?20"
                          " WHERE id = ?1",
                          error);
  PdStatus status = pd_transaction_get_status (incoming);
  const char *gateway_status = pd_transaction_get_gateway_status (incoming);
  const char *status_key;

  if (stmt == NULL)
    return FALSE;

  /* A lookup that learnt nothing about the status keeps the one recorded. */
  if (status == PD_STATUS_UNKNOWN && gateway_status == NULL)
    {
      status_key = old_status;
      gateway_status = old_gateway_status;
    }
  else
    {
      status_key = pd_status_to_key (status);
    }

  sqlite3_bind_int64 (stmt, 1, id);
  pd_ledger_db_bind_text (stmt, 2, pd_gateway_to_key (pd_transaction_get_gateway (incoming)));
  pd_ledger_db_bind_text (stmt, 3, pd_transaction_get_order_id (incoming));
  sqlite3_bind_int64 (stmt, 4, pd_transaction_get_amount (incoming));
  pd_ledger_db_bind_text (stmt, 5, pd_transaction_get_currency (incoming));
  pd_ledger_db_bind_text (stmt, 6, status_key);
  pd_ledger_db_bind_text (stmt, 7, gateway_status);
  pd_ledger_db_bind_text (stmt, 8, pd_transaction_get_provider (incoming));
  pd_ledger_db_bind_text (stmt, 9, pd_transaction_get_payment_method (incoming));
  pd_ledger_db_bind_text (stmt, 10, pd_transaction_get_card_brand (incoming));
  pd_ledger_db_bind_text (stmt, 11, pd_transaction_get_card_last_four (incoming));
  pd_ledger_db_bind_text (stmt, 12, pd_transaction_get_customer_name (incoming));
  pd_ledger_db_bind_text (stmt, 13, pd_transaction_get_customer_email (incoming));
  pd_ledger_db_bind_text (stmt, 14, pd_transaction_get_customer_phone (incoming));
  pd_ledger_db_bind_text (stmt, 15, pd_transaction_get_metadata (incoming));
  pd_ledger_db_bind_text (stmt, 16, pd_mode_to_key (pd_transaction_get_mode (incoming)));
  sqlite3_bind_int64 (stmt, 17, pd_transaction_get_refunded_amount (incoming));
  sqlite3_bind_int64 (stmt, 18, pd_transaction_get_created_at (incoming));
  sqlite3_bind_int64 (stmt, 19, pd_transaction_get_completed_at (incoming));
  sqlite3_bind_int64 (stmt, 20, now);
  if (!pd_ledger_db_step_done (db, stmt, error))
    return FALSE;

  if (g_strcmp0 (status_key, old_status) == 0 && g_strcmp0 (gateway_status, old_gateway_status) == 0)
    return TRUE;

  return insert_event (db, id, PD_LEDGER_EVENT_STATUS_CHANGED, status_key, gateway_status, now, source,
                       NULL, error);
}

static PdTransaction *
upsert_transaction (PdLedgerDb     *db,
                    PdTransaction  *incoming,
                    const char     *source,
                    gint64          now,
                    GError        **error)
{
  g_autoptr(PdLedgerStmt) stmt = NULL;
  g_autofree char *old_status = NULL;
  g_autofree char *old_gateway_status = NULL;
  gint64 id = 0;
  int rc;

  if (!check_key (pd_transaction_get_account_id (incoming), pd_transaction_get_reference (incoming), error))
    return NULL;

  stmt = pd_ledger_db_prepare (db,
                               "SELECT id, status, gateway_status FROM transactions"
                               " WHERE account_id = ?1 AND reference = ?2",
                               error);
  if (stmt == NULL)
    return NULL;
  pd_ledger_db_bind_text (stmt, 1, pd_transaction_get_account_id (incoming));
  pd_ledger_db_bind_text (stmt, 2, pd_transaction_get_reference (incoming));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      old_status = pd_ledger_db_dup_text (stmt, 1);
      old_gateway_status = pd_ledger_db_dup_text (stmt, 2);
    }
  else if (rc != SQLITE_DONE)
    {
      pd_ledger_db_fail (db, rc, error);
      return NULL;
    }
  g_clear_pointer (&stmt, pd_ledger_stmt_release);

  if (id == 0 && !insert_transaction (db, incoming, source, now, &id, error))
    return NULL;
  if (old_status != NULL &&
      !update_transaction (db, incoming, source, now, id, old_status, old_gateway_status, error))
    return NULL;

  return read_transaction (db, id, error);
}

gboolean
pd_ledger_op_upsert_transactions (PdLedgerDb    *db,
                                  PdLedgerArgs  *args,
                                  gpointer      *result,
                                  GError       **error)
{
  g_autoptr(GPtrArray) stored = g_ptr_array_new_full (args->objects->len, g_object_unref);
  gint64 now = pd_ledger_now ();

  if (!pd_ledger_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < args->objects->len; i++)
    {
      PdTransaction *transaction = upsert_transaction (db, args->objects->pdata[i], args->text, now, error);

      if (transaction == NULL)
        {
          pd_ledger_db_rollback (db);
          return FALSE;
        }
      g_ptr_array_add (stored, transaction);
    }
  if (!pd_ledger_db_commit (db, error))
    return FALSE;

  *result = g_steal_pointer (&stored);

  return TRUE;
}

static gboolean
find_one (PdLedgerDb    *db,
          const char    *sql,
          PdLedgerArgs  *args,
          gpointer      *result,
          GError       **error)
{
  g_autoptr(PdLedgerStmt) stmt = pd_ledger_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  pd_ledger_db_bind_text (stmt, 1, args->account_id);
  pd_ledger_db_bind_text (stmt, 2, args->key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *result = pd_ledger_transaction_from_row (stmt);
  else if (rc != SQLITE_DONE)
    return pd_ledger_db_fail (db, rc, error);

  return TRUE;
}

gboolean
pd_ledger_op_find_transaction (PdLedgerDb    *db,
                               PdLedgerArgs  *args,
                               gpointer      *result,
                               GError       **error)
{
  return find_one (db,
                   "SELECT " PD_LEDGER_TRANSACTION_COLUMNS " FROM transactions"
                   " WHERE account_id = ?1 AND reference = ?2",
                   args, result, error);
}

gboolean
pd_ledger_op_find_by_order_id (PdLedgerDb    *db,
                               PdLedgerArgs  *args,
                               gpointer      *result,
                               GError       **error)
{
  return find_one (db,
                   "SELECT " PD_LEDGER_TRANSACTION_COLUMNS " FROM transactions"
                   " WHERE account_id = ?1 AND order_id = ?2 ORDER BY id DESC LIMIT 1",
                   args, result, error);
}

/* The ledger id and current status of a transaction; FALSE with NOT_FOUND when it is not there. */
static gboolean
lookup_transaction (PdLedgerDb  *db,
                    const char  *account_id,
                    const char  *reference,
                    gint64      *id,
                    gint64      *amount,
                    char       **currency,
                    char       **status,
                    char       **gateway_status,
                    GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "SELECT id, amount, currency, status, gateway_status FROM transactions"
                          " WHERE account_id = ?1 AND reference = ?2",
                          error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  pd_ledger_db_bind_text (stmt, 1, account_id);
  pd_ledger_db_bind_text (stmt, 2, reference);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return set_not_found (reference, error);
  if (rc != SQLITE_ROW)
    return pd_ledger_db_fail (db, rc, error);

  *id = sqlite3_column_int64 (stmt, 0);
  *amount = sqlite3_column_int64 (stmt, 1);
  *currency = pd_ledger_db_dup_text (stmt, 2);
  *status = pd_ledger_db_dup_text (stmt, 3);
  *gateway_status = pd_ledger_db_dup_text (stmt, 4);

  return TRUE;
}

gboolean
pd_ledger_op_add_event (PdLedgerDb    *db,
                        PdLedgerArgs  *args,
                        gpointer      *result,
                        GError       **error)
{
  g_autofree char *currency = NULL;
  g_autofree char *status = NULL;
  g_autofree char *gateway_status = NULL;
  PdLedgerEvent *event;
  gint64 transaction_id;
  gint64 amount;
  gint64 event_id;
  gint64 now = pd_ledger_now ();

  if (!check_key (args->account_id, args->key, error) ||
      !pd_ledger_db_begin (db, error))
    return FALSE;
  if (!lookup_transaction (db, args->account_id, args->key, &transaction_id, &amount, &currency,
                           &status, &gateway_status, error) ||
      !insert_event (db, transaction_id, args->kind, status, gateway_status, now, args->text, &event_id, error))
    {
      pd_ledger_db_rollback (db);
      return FALSE;
    }
  if (!pd_ledger_db_commit (db, error))
    return FALSE;

  event = pd_ledger_event_new ();
  g_object_set (event,
                "ledger-id", event_id,
                "transaction-id", transaction_id,
                "kind", args->kind,
                "status", pd_status_from_key (status),
                "gateway-status", gateway_status,
                "at", now,
                "note", args->text,
                NULL);
  *result = event;

  return TRUE;
}

/* One object a row: what every list below is made of. */
typedef gpointer (*RowReader) (PdLedgerStmt *stmt);

/* Steps through @stmt (prepared and bound) and finishes with a GListStore of
 * @type holding what @read_row makes of each row. */
static gboolean
collect_rows (PdLedgerDb    *db,
              PdLedgerStmt  *stmt,
              GType          type,
              RowReader      read_row,
              gpointer      *result,
              GError       **error)
{
  g_autoptr(GListStore) store = g_list_store_new (type);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GObject) item = read_row (stmt);

      g_list_store_append (store, item);
    }
  if (rc != SQLITE_DONE)
    return pd_ledger_db_fail (db, rc, error);

  *result = g_steal_pointer (&store);
  return TRUE;
}

static PdLedgerEvent *
event_from_row (PdLedgerStmt *stmt)
{
  PdLedgerEvent *event = pd_ledger_event_new ();

  g_object_set (event,
                "ledger-id", (gint64) sqlite3_column_int64 (stmt, 0),
                "transaction-id", (gint64) sqlite3_column_int64 (stmt, 1),
                "kind", pd_ledger_event_kind_from_key ((const char *) sqlite3_column_text (stmt, 2)),
                "status", pd_status_from_key ((const char *) sqlite3_column_text (stmt, 3)),
                "gateway-status", sqlite3_column_text (stmt, 4),
                "at", (gint64) sqlite3_column_int64 (stmt, 5),
                "note", sqlite3_column_text (stmt, 6),
                NULL);
  return event;
}

gboolean
pd_ledger_op_list_events (PdLedgerDb    *db,
                          PdLedgerArgs  *args,
                          gpointer      *result,
                          GError       **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "SELECT e.id, e.transaction_id, e.kind, e.status, e.gateway_status, e.at, e.note"
                          " FROM transactions t JOIN status_events e ON e.transaction_id = t.id"
                          " WHERE t.account_id = ?1 AND t.reference = ?2"
                          " ORDER BY e.at, e.id",
                          error);

  if (stmt == NULL)
    return FALSE;
  pd_ledger_db_bind_text (stmt, 1, args->account_id);
  pd_ledger_db_bind_text (stmt, 2, args->key);
  return collect_rows (db, stmt, PD_TYPE_LEDGER_EVENT, (RowReader) event_from_row, result, error);
}

#define REFUND_COLUMNS "r.id, t.account_id, t.reference, r.amount, r.currency, r.requested_at, r.outcome, r.message, r.note"

static PdRefund *
refund_from_row (sqlite3_stmt *stmt)
{
  PdRefund *refund = pd_refund_new ();

  g_object_set (refund,
                "ledger-id", (gint64) sqlite3_column_int64 (stmt, 0),
                "account-id", sqlite3_column_text (stmt, 1),
                "transaction", sqlite3_column_text (stmt, 2),
                "amount", (gint64) sqlite3_column_int64 (stmt, 3),
                "currency", sqlite3_column_text (stmt, 4),
                "requested-at", (gint64) sqlite3_column_int64 (stmt, 5),
                "outcome", pd_refund_outcome_from_key ((const char *) sqlite3_column_text (stmt, 6)),
                "message", sqlite3_column_text (stmt, 7),
                "note", sqlite3_column_text (stmt, 8),
                NULL);

  return refund;
}

/* Refunds that have moved money, or may have, must stay within the amount: the guard against refunding twice. */
static gboolean
check_refundable (PdLedgerDb  *db,
                  gint64       transaction_id,
                  gint64       transaction_amount,
                  gint64       refund_id,
                  gint64       amount,
                  GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "SELECT coalesce (sum (amount), 0) FROM refunds"
                          " WHERE transaction_id = ?1 AND id <> ?2"
                          " AND outcome IN ('pending', 'succeeded', 'unknown')",
                          error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, transaction_id);
  sqlite3_bind_int64 (stmt, 2, refund_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pd_ledger_db_fail (db, rc, error);
  if (transaction_amount > 0 && sqlite3_column_int64 (stmt, 0) + amount > transaction_amount)
    {
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_INVALID,
                   _("The refunds would add up to more than the transaction’s amount."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_refund (PdLedgerDb  *db,
              PdRefund    *refund,
              gint64       transaction_id,
              const char  *transaction_currency,
              gint64       now,
              gint64      *refund_id,
              GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt = NULL;
  const char *currency = pd_refund_get_currency (refund);
  gint64 requested_at = pd_refund_get_requested_at (refund);

  *refund_id = pd_refund_get_ledger_id (refund);
  if (*refund_id == 0)
    stmt = pd_ledger_db_prepare (db,
                                 "INSERT INTO refunds (transaction_id, amount, currency, requested_at, outcome,"
                                 " message, note, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                 error);
  else
    stmt = pd_ledger_db_prepare (db,
                                 "UPDATE refunds SET amount = ?2, outcome = ?5, message = coalesce (?6, message),"
                                 " note = coalesce (?7, note), updated_at = ?8"
                                 " WHERE id = ?9 AND transaction_id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, transaction_id);
  sqlite3_bind_int64 (stmt, 2, pd_refund_get_amount (refund));
  if (*refund_id == 0)
    {
      pd_ledger_db_bind_text (stmt, 3, currency != NULL ? currency : transaction_currency);
      sqlite3_bind_int64 (stmt, 4, requested_at > 0 ? requested_at : now);
    }
  pd_ledger_db_bind_text (stmt, 5, pd_refund_outcome_to_key (pd_refund_get_outcome (refund)));
  pd_ledger_db_bind_text (stmt, 6, pd_refund_get_message (refund));
  pd_ledger_db_bind_text (stmt, 7, pd_refund_get_note (refund));
  sqlite3_bind_int64 (stmt, 8, now);
  if (*refund_id != 0)
    sqlite3_bind_int64 (stmt, 9, *refund_id);
  if (!pd_ledger_db_step_done (db, stmt, error))
    return FALSE;

  if (*refund_id == 0)
    {
      *refund_id = sqlite3_last_insert_rowid (db->handle);
    }
  else if (sqlite3_changes (db->handle) == 0)
    {
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_NOT_FOUND,
                   _("This refund is not in the ledger."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
update_refunded_amount (PdLedgerDb  *db,
                        gint64       transaction_id,
                        gint64       now,
                        GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "UPDATE transactions SET refunded_amount = (SELECT coalesce (sum (amount), 0)"
                          " FROM refunds WHERE transaction_id = ?1 AND outcome = 'succeeded'),"
                          " updated_at = ?2 WHERE id = ?1",
                          error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, transaction_id);
  sqlite3_bind_int64 (stmt, 2, now);

  return pd_ledger_db_step_done (db, stmt, error);
}

static PdRefund *
read_refund (PdLedgerDb  *db,
             gint64       refund_id,
             GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "SELECT " REFUND_COLUMNS " FROM refunds r JOIN transactions t ON t.id = r.transaction_id"
                          " WHERE r.id = ?1",
                          error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, refund_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return refund_from_row (stmt);
  pd_ledger_db_fail (db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, error);

  return NULL;
}

static PdRefund *
record_refund (PdLedgerDb  *db,
               PdRefund    *refund,
               gint64       now,
               GError     **error)
{
  g_autofree char *currency = NULL;
  g_autofree char *status = NULL;
  g_autofree char *gateway_status = NULL;
  PdRefundOutcome outcome = pd_refund_get_outcome (refund);
  gint64 transaction_id;
  gint64 transaction_amount;
  gint64 refund_id;

  if (!lookup_transaction (db, pd_refund_get_account_id (refund), pd_refund_get_transaction (refund),
                           &transaction_id, &transaction_amount, &currency, &status, &gateway_status, error))
    return NULL;
  if (outcome != PD_REFUND_OUTCOME_FAILED &&
      !check_refundable (db, transaction_id, transaction_amount, pd_refund_get_ledger_id (refund),
                         pd_refund_get_amount (refund), error))
    return NULL;
  if (!write_refund (db, refund, transaction_id, currency, now, &refund_id, error) ||
      !update_refunded_amount (db, transaction_id, now, error) ||
      !insert_event (db, transaction_id, PD_LEDGER_EVENT_REFUND, status, gateway_status, now,
                     pd_refund_outcome_to_key (outcome), NULL, error))
    return NULL;

  return read_refund (db, refund_id, error);
}

gboolean
pd_ledger_op_record_refund (PdLedgerDb    *db,
                            PdLedgerArgs  *args,
                            gpointer      *result,
                            GError       **error)
{
  PdRefund *refund = args->objects->pdata[0];
  PdRefund *stored;

  if (!check_key (pd_refund_get_account_id (refund), pd_refund_get_transaction (refund), error))
    return FALSE;
  if (pd_refund_get_amount (refund) <= 0)
    {
      g_set_error (error, PD_LEDGER_ERROR, PD_LEDGER_ERROR_INVALID, _("A refund needs an amount."));
      return FALSE;
    }

  if (!pd_ledger_db_begin (db, error))
    return FALSE;
  stored = record_refund (db, refund, pd_ledger_now (), error);
  if (stored == NULL)
    {
      pd_ledger_db_rollback (db);
      return FALSE;
    }
  if (!pd_ledger_db_commit (db, error))
    {
      g_object_unref (stored);
      return FALSE;
    }
  *result = stored;

  return TRUE;
}

gboolean
pd_ledger_op_list_refunds (PdLedgerDb    *db,
                           PdLedgerArgs  *args,
                           gpointer      *result,
                           GError       **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "SELECT " REFUND_COLUMNS " FROM transactions t JOIN refunds r ON r.transaction_id = t.id"
                          " WHERE t.account_id = ?1 AND t.reference = ?2"
                          " ORDER BY r.requested_at, r.id",
                          error);

  if (stmt == NULL)
    return FALSE;
  pd_ledger_db_bind_text (stmt, 1, args->account_id);
  pd_ledger_db_bind_text (stmt, 2, args->key);
  return collect_rows (db, stmt, PD_TYPE_REFUND, (RowReader) refund_from_row, result, error);
}

/* Payment methods are kept as a JSON array of strings. */
static char *
methods_to_json (const char * const *methods)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (methods == NULL)
    return NULL;
  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; methods[i] != NULL; i++)
    json_builder_add_string_value (builder, methods[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static GStrv
methods_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GStrvBuilder) methods = NULL;
  JsonNode *root;
  JsonArray *array;

  if (text == NULL)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  array = json_node_get_array (root);
  methods = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (methods, json_node_get_string (element));
    }

  return g_strv_builder_end (methods);
}

#define PAYMENT_LINK_COLUMNS \
  "id, account_id, transaction_id, checkout_url, amount, currency, payment_methods, external_id," \
  " status, mode, created_at"

static PdPaymentLink *
payment_link_from_row (sqlite3_stmt *stmt)
{
  PdPaymentLink *link = pd_payment_link_new ();
  g_auto(GStrv) methods = methods_from_json ((const char *) sqlite3_column_text (stmt, 6));
  PdMode mode = PD_MODE_LIVE;

  pd_mode_from_key ((const char *) sqlite3_column_text (stmt, 9), &mode);
  g_object_set (link,
                "id", sqlite3_column_text (stmt, 0),
                "account-id", sqlite3_column_text (stmt, 1),
                "transaction-id", sqlite3_column_text (stmt, 2),
                "checkout-url", sqlite3_column_text (stmt, 3),
                "amount", (gint64) sqlite3_column_int64 (stmt, 4),
                "currency", sqlite3_column_text (stmt, 5),
                "payment-methods", methods,
                "external-id", sqlite3_column_text (stmt, 7),
                "status", pd_status_from_key ((const char *) sqlite3_column_text (stmt, 8)),
                "mode", mode,
                "created-at", (gint64) sqlite3_column_int64 (stmt, 10),
                NULL);

  return link;
}

gboolean
pd_ledger_op_upsert_payment_link (PdLedgerDb    *db,
                                  PdLedgerArgs  *args,
                                  gpointer      *result,
                                  GError       **error)
{
  PdPaymentLink *link = args->objects->pdata[0];
  g_autoptr(PdLedgerStmt) stmt = NULL;
  g_autofree char *methods = methods_to_json (pd_payment_link_get_payment_methods (link));
  gint64 created_at = pd_payment_link_get_created_at (link);
  gint64 now = pd_ledger_now ();
  int rc;

  if (!check_key (pd_payment_link_get_account_id (link), pd_payment_link_get_id (link), error))
    return FALSE;

  stmt = pd_ledger_db_prepare (db,
                               "INSERT INTO payment_links (account_id, id, transaction_id, checkout_url, amount,"
                               " currency, payment_methods, external_id, status, mode, created_at, seen_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                               " ON CONFLICT (account_id, id) DO UPDATE SET"
                               " transaction_id = coalesce (excluded.transaction_id, transaction_id),"
                               " checkout_url = coalesce (excluded.checkout_url, checkout_url),"
                               " amount = CASE WHEN excluded.amount > 0 THEN excluded.amount ELSE amount END,"
                               " currency = coalesce (excluded.currency, currency),"
                               " payment_methods = coalesce (excluded.payment_methods, payment_methods),"
                               " external_id = coalesce (excluded.external_id, external_id),"
                               " status = CASE WHEN excluded.status <> 'unknown' THEN excluded.status ELSE status END,"
                               " mode = excluded.mode,"
                               " seen_at = excluded.seen_at"
                               " RETURNING " PAYMENT_LINK_COLUMNS,
                               error);
  if (stmt == NULL)
    return FALSE;
  pd_ledger_db_bind_text (stmt, 1, pd_payment_link_get_account_id (link));
  pd_ledger_db_bind_text (stmt, 2, pd_payment_link_get_id (link));
  pd_ledger_db_bind_text (stmt, 3, pd_payment_link_get_transaction_id (link));
  pd_ledger_db_bind_text (stmt, 4, pd_payment_link_get_checkout_url (link));
  sqlite3_bind_int64 (stmt, 5, pd_payment_link_get_amount (link));
  pd_ledger_db_bind_text (stmt, 6, pd_payment_link_get_currency (link));
  pd_ledger_db_bind_text (stmt, 7, methods);
  pd_ledger_db_bind_text (stmt, 8, pd_payment_link_get_external_id (link));
  pd_ledger_db_bind_text (stmt, 9, pd_status_to_key (pd_payment_link_get_status (link)));
  pd_ledger_db_bind_text (stmt, 10, pd_mode_to_key (pd_payment_link_get_mode (link)));
  sqlite3_bind_int64 (stmt, 11, created_at > 0 ? created_at : now);
  sqlite3_bind_int64 (stmt, 12, now);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pd_ledger_db_fail (db, rc, error);
  *result = payment_link_from_row (stmt);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      g_clear_object ((PdPaymentLink **) result);
      return pd_ledger_db_fail (db, rc, error);
    }

  return TRUE;
}

gboolean
pd_ledger_op_list_payment_links (PdLedgerDb    *db,
                                 PdLedgerArgs  *args,
                                 gpointer      *result,
                                 GError       **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "SELECT " PAYMENT_LINK_COLUMNS " FROM payment_links WHERE account_id = ?1"
                          " ORDER BY created_at DESC, rowid DESC",
                          error);

  if (stmt == NULL)
    return FALSE;
  pd_ledger_db_bind_text (stmt, 1, args->account_id);
  return collect_rows (db, stmt, PD_TYPE_PAYMENT_LINK, (RowReader) payment_link_from_row, result, error);
}

#define SUBSCRIPTION_COLUMNS \
  "id, account_id, plan_id, customer_email, customer_name, status, checkout_url," \
  " current_period_start, current_period_end, created_at, mode, seen_at"

static PdSubscription *
subscription_from_row (sqlite3_stmt *stmt)
{
  PdSubscription *subscription = pd_subscription_new ();
  PdMode mode = PD_MODE_LIVE;

  pd_mode_from_key ((const char *) sqlite3_column_text (stmt, 10), &mode);
  g_object_set (subscription,
                "id", sqlite3_column_text (stmt, 0),
                "account-id", sqlite3_column_text (stmt, 1),
                "plan-id", sqlite3_column_text (stmt, 2),
                "customer-email", sqlite3_column_text (stmt, 3),
                "customer-name", sqlite3_column_text (stmt, 4),
                "status", pd_subscription_status_from_key ((const char *) sqlite3_column_text (stmt, 5)),
                "checkout-url", sqlite3_column_text (stmt, 6),
                "current-period-start", (gint64) sqlite3_column_int64 (stmt, 7),
                "current-period-end", (gint64) sqlite3_column_int64 (stmt, 8),
                "created-at", (gint64) sqlite3_column_int64 (stmt, 9),
                "mode", mode,
                "seen-at", (gint64) sqlite3_column_int64 (stmt, 11),
                NULL);

  return subscription;
}

gboolean
pd_ledger_op_upsert_subscription (PdLedgerDb    *db,
                                  PdLedgerArgs  *args,
                                  gpointer      *result,
                                  GError       **error)
{
  PdSubscription *subscription = args->objects->pdata[0];
  g_autoptr(PdLedgerStmt) stmt = NULL;
  gint64 created_at = pd_subscription_get_created_at (subscription);
  gint64 now = pd_ledger_now ();
  int rc;

  if (!check_key (pd_subscription_get_account_id (subscription), pd_subscription_get_id (subscription), error))
    return FALSE;

  stmt = pd_ledger_db_prepare (db,
                               "INSERT INTO subscriptions (account_id, id, plan_id, customer_email, customer_name,"
                               " status, checkout_url, current_period_start, current_period_end, created_at, mode,"
                               " seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                               " ON CONFLICT (account_id, id) DO UPDATE SET"
                               " plan_id = coalesce (excluded.plan_id, plan_id),"
                               " customer_email = coalesce (excluded.customer_email, customer_email),"
                               " customer_name = coalesce (excluded.customer_name, customer_name),"
                               " status = CASE WHEN excluded.status <> 'unknown' THEN excluded.status ELSE status END,"
                               " checkout_url = coalesce (excluded.checkout_url, checkout_url),"
                               " current_period_start = CASE WHEN excluded.current_period_start > 0"
                               "   THEN excluded.current_period_start ELSE current_period_start END,"
                               " current_period_end = CASE WHEN excluded.current_period_end > 0"
                               "   THEN excluded.current_period_end ELSE current_period_end END,"
                               " mode = excluded.mode,"
                               " seen_at = excluded.seen_at"
                               " RETURNING " SUBSCRIPTION_COLUMNS,
                               error);
  if (stmt == NULL)
    return FALSE;
  pd_ledger_db_bind_text (stmt, 1, pd_subscription_get_account_id (subscription));
  pd_ledger_db_bind_text (stmt, 2, pd_subscription_get_id (subscription));
  pd_ledger_db_bind_text (stmt, 3, pd_subscription_get_plan_id (subscription));
  pd_ledger_db_bind_text (stmt, 4, pd_subscription_get_customer_email (subscription));
  pd_ledger_db_bind_text (stmt, 5, pd_subscription_get_customer_name (subscription));
  pd_ledger_db_bind_text (stmt, 6, pd_subscription_status_to_key (pd_subscription_get_status (subscription)));
  pd_ledger_db_bind_text (stmt, 7, pd_subscription_get_checkout_url (subscription));
  sqlite3_bind_int64 (stmt, 8, pd_subscription_get_current_period_start (subscription));
  sqlite3_bind_int64 (stmt, 9, pd_subscription_get_current_period_end (subscription));
  sqlite3_bind_int64 (stmt, 10, created_at > 0 ? created_at : now);
  pd_ledger_db_bind_text (stmt, 11, pd_mode_to_key (pd_subscription_get_mode (subscription)));
  sqlite3_bind_int64 (stmt, 12, now);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pd_ledger_db_fail (db, rc, error);
  *result = subscription_from_row (stmt);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      g_clear_object ((PdSubscription **) result);
      return pd_ledger_db_fail (db, rc, error);
    }

  return TRUE;
}

gboolean
pd_ledger_op_list_subscriptions (PdLedgerDb    *db,
                                 PdLedgerArgs  *args,
                                 gpointer      *result,
                                 GError       **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions WHERE account_id = ?1"
                          " ORDER BY created_at DESC, rowid DESC",
                          error);

  if (stmt == NULL)
    return FALSE;
  pd_ledger_db_bind_text (stmt, 1, args->account_id);
  return collect_rows (db, stmt, PD_TYPE_SUBSCRIPTION, (RowReader) subscription_from_row, result, error);
}

gboolean
pd_ledger_op_list_unsettled (PdLedgerDb    *db,
                             PdLedgerArgs  *args,
                             gpointer      *result,
                             GError       **error)
{
  /* The status list must read exactly as in the partial index transactions_unsettled. */
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "SELECT " PD_LEDGER_TRANSACTION_COLUMNS " FROM transactions"
                          " WHERE account_id = ?1 AND status IN ('unknown', 'initialized', 'pending', 'authorized')"
                          " ORDER BY updated_at, id LIMIT ?2",
                          error);

  if (stmt == NULL)
    return FALSE;
  pd_ledger_db_bind_text (stmt, 1, args->account_id);
  sqlite3_bind_int64 (stmt, 2, args->limit);
  *result = pd_ledger_db_collect_transactions (db, stmt, error);

  return *result != NULL;
}
