/* pd-ledger-private.h: what the ledger's files share; everything here runs on its worker thread */
#pragma once

#include <sqlite3.h>

#include "pd-ledger.h"

G_BEGIN_DECLS

/* The connection and what hangs off it; owned and touched by the worker only. */
typedef struct
{
  char         *path;
  sqlite3      *handle;          /* NULL before open and after close */
  GHashTable   *statements;      /* fixed SQL text → prepared statement */
  GHashTable   *queries;         /* SQL built for a filter → prepared statement */
  GCancellable *cancellable;     /* of the read being run, polled by the progress handler */
} PdLedgerDb;

/* The arguments of one queued operation, copied on the caller's thread; each uses some. */
typedef struct
{
  char           *account_id;
  char           *key;           /* a reference, order id or link id */
  char           *text;          /* a source or note */
  int             kind;
  guint           offset;
  guint           limit;
  GPtrArray      *objects;       /* snapshots of the models to write */
  PdLedgerFilter *filter;
} PdLedgerArgs;

typedef gboolean (*PdLedgerOp) (PdLedgerDb    *db,
                                PdLedgerArgs  *args,
                                gpointer      *result,
                                GError       **error);

/* pd-ledger-db.c: connection plumbing */
PdLedgerDb    *pd_ledger_db_new                  (const char     *path);
void           pd_ledger_db_free                 (PdLedgerDb     *db);
gboolean       pd_ledger_db_fail                 (PdLedgerDb     *db,
                                                  int             rc,
                                                  GError        **error);
sqlite3_stmt  *pd_ledger_db_prepare              (PdLedgerDb     *db,
                                                  const char     *sql,
                                                  GError        **error);
sqlite3_stmt  *pd_ledger_db_prepare_query        (PdLedgerDb     *db,
                                                  const char     *sql,
                                                  GError        **error);
gboolean       pd_ledger_db_exec                 (PdLedgerDb     *db,
                                                  const char     *sql,
                                                  GError        **error);
gboolean       pd_ledger_db_step_done            (PdLedgerDb     *db,
                                                  sqlite3_stmt   *stmt,
                                                  GError        **error);
gboolean       pd_ledger_db_begin                (PdLedgerDb     *db,
                                                  GError        **error);
gboolean       pd_ledger_db_commit               (PdLedgerDb     *db,
                                                  GError        **error);
void           pd_ledger_db_rollback             (PdLedgerDb     *db);
void           pd_ledger_db_bind_text            (sqlite3_stmt   *stmt,
                                                  int             column,
                                                  const char     *text);
char          *pd_ledger_db_dup_text             (sqlite3_stmt   *stmt,
                                                  int             column);
gint64         pd_ledger_now                     (void);

/* Gives a cached statement back: reset, bindings cleared, ready for the next use. */
typedef sqlite3_stmt PdLedgerStmt;
void           pd_ledger_stmt_release            (PdLedgerStmt   *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdLedgerStmt, pd_ledger_stmt_release)

/* The transaction columns in the order pd_ledger_transaction_from_row() reads them. */
#define PD_LEDGER_TRANSACTION_COLUMNS \
  "id, account_id, gateway, reference, order_id, amount, currency, status, gateway_status, " \
  "provider, payment_method, card_brand, card_last_four, customer_name, customer_email, " \
  "customer_phone, metadata, mode, refunded_amount, created_at, completed_at, updated_at"
PdTransaction *pd_ledger_transaction_from_row    (sqlite3_stmt   *stmt);
/* Steps @stmt, which returns PD_LEDGER_TRANSACTION_COLUMNS, into a list of PdTransaction. */
GListModel    *pd_ledger_db_collect_transactions (PdLedgerDb     *db,
                                                  sqlite3_stmt   *stmt,
                                                  GError        **error);

/* pd-ledger-schema.c: open, settings, migrations */
gboolean       pd_ledger_db_open                 (PdLedgerDb     *db,
                                                  GError        **error);
void           pd_ledger_db_close                (PdLedgerDb     *db);

/* pd-ledger-store.c: writes and lookups */
gboolean       pd_ledger_op_upsert_transactions  (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_op_find_transaction     (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_op_find_by_order_id     (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_op_add_event            (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_op_list_events          (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_op_record_refund        (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_op_list_refunds         (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_op_upsert_payment_link  (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_op_list_payment_links   (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_op_upsert_subscription  (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_op_list_subscriptions   (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_op_list_unsettled       (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);

/* pd-ledger-query.c: filtered pages, counts and the text search */
gboolean       pd_ledger_op_query                (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_op_count                (PdLedgerDb     *db,
                                                  PdLedgerArgs   *args,
                                                  gpointer       *result,
                                                  GError        **error);
gboolean       pd_ledger_register_functions      (PdLedgerDb     *db,
                                                  GError        **error);

/* For tests: caps the file at @max_pages pages so that a write runs out of space. */
gboolean       pd_ledger_set_max_pages_sync      (PdLedger       *self,
                                                  guint           max_pages,
                                                  GError        **error);

G_END_DECLS
