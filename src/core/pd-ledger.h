/* pd-ledger.h: the app's memory of transactions, kept in SQLite off the main thread
 *
 * Neither gateway can list transactions, so every transaction Paydesk creates
 * or looks up is recorded here with its status timeline, refunds, payment
 * links and subscriptions.
 *
 * Threading: a PdLedger owns one worker thread, and that thread alone owns
 * the SQLite connection. Every operation is queued to it in call order and
 * completes in the thread-default main context of the caller, so the main
 * thread never waits for the disk. The `_sync` variants queue the same work
 * and block until it is done: they are for tests, tools and the benchmark,
 * never for a thread running a user interface.
 *
 * Objects passed in are copied when the call is made; objects handed back
 * are new, owned by the caller. Cancelling a read stops it; cancelling a
 * write only stops it if it has not started (a committed write reports
 * success).
 */
#pragma once

#include <gio/gio.h>

#include "pd-ledger-event.h"
#include "pd-ledger-filter.h"
#include "pd-payment-link.h"
#include "pd-refund.h"
#include "pd-subscription.h"
#include "pd-transaction.h"

G_BEGIN_DECLS

#define PD_LEDGER_ERROR (pd_ledger_error_quark ())

/**
 * PdLedgerError:
 * @PD_LEDGER_ERROR_FAILED: anything not listed below; the message says what
 * @PD_LEDGER_ERROR_CANNOT_OPEN: the file or its folder cannot be created or opened
 * @PD_LEDGER_ERROR_READ_ONLY: the file or the disk is read-only; nothing was written
 * @PD_LEDGER_ERROR_DISK_FULL: no space left (or the size limit reached); the change was rolled back whole
 * @PD_LEDGER_ERROR_CORRUPT: the file is not a Paydesk ledger, or is damaged
 * @PD_LEDGER_ERROR_TOO_NEW: the file was written by a newer Paydesk
 * @PD_LEDGER_ERROR_BUSY: another program holds the file locked for too long
 * @PD_LEDGER_ERROR_IO: the disk reported a read or write error
 * @PD_LEDGER_ERROR_INVALID: the data cannot be recorded (no account or reference, more than the last four card digits, a refund beyond the amount)
 * @PD_LEDGER_ERROR_NOT_FOUND: the transaction or refund to change is not in the ledger
 * @PD_LEDGER_ERROR_CLOSED: the ledger was closed
 *
 * A cancelled operation fails with G_IO_ERROR_CANCELLED instead.
 */
typedef enum
{
  PD_LEDGER_ERROR_FAILED,
  PD_LEDGER_ERROR_CANNOT_OPEN,
  PD_LEDGER_ERROR_READ_ONLY,
  PD_LEDGER_ERROR_DISK_FULL,
  PD_LEDGER_ERROR_CORRUPT,
  PD_LEDGER_ERROR_TOO_NEW,
  PD_LEDGER_ERROR_BUSY,
  PD_LEDGER_ERROR_IO,
  PD_LEDGER_ERROR_INVALID,
  PD_LEDGER_ERROR_NOT_FOUND,
  PD_LEDGER_ERROR_CLOSED,
} PdLedgerError;

GQuark pd_ledger_error_quark (void);

#define PD_TYPE_LEDGER (pd_ledger_get_type ())
G_DECLARE_FINAL_TYPE (PdLedger, pd_ledger, PD, LEDGER, GObject)

/* $XDG_DATA_HOME/paydesk/ledger.db */
char          *pd_ledger_get_default_path             (void);

/* Opens @path, creating it and its folder if needed, and brings its schema up to date. */
void           pd_ledger_new_async                    (const char           *path,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
PdLedger      *pd_ledger_new_finish                   (GAsyncResult         *result,
                                                       GError              **error);
PdLedger      *pd_ledger_new_sync                     (const char           *path,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
const char    *pd_ledger_get_path                     (PdLedger             *self);

/* Finishes the queued work and closes the file; later calls fail with CLOSED. */
void           pd_ledger_close_async                  (PdLedger             *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean       pd_ledger_close_finish                 (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
gboolean       pd_ledger_close_sync                   (PdLedger             *self,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

/*
 * Records @transaction, found by account id and reference. Fields left
 * unknown (NULL, 0, PD_STATUS_UNKNOWN without a gateway status) keep what the
 * ledger had; created-at is kept once known (a new row without one gets the
 * current time); updated-at becomes now. A new row gets a "created" event and
 * a new status a "status changed" event, with @source (e.g. "status check")
 * as their note. Finishes with the row as stored.
 */
void           pd_ledger_upsert_transaction_async     (PdLedger             *self,
                                                       PdTransaction        *transaction,
                                                       const char           *source,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
PdTransaction *pd_ledger_upsert_transaction_finish    (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* The same for many, in one database transaction: all are recorded or none. */
void           pd_ledger_upsert_transactions_async    (PdLedger             *self,
                                                       GPtrArray            *transactions,
                                                       const char           *source,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GPtrArray     *pd_ledger_upsert_transactions_finish   (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
GPtrArray     *pd_ledger_upsert_transactions_sync     (PdLedger             *self,
                                                       GPtrArray            *transactions,
                                                       const char           *source,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

/* Finish with NULL and no error when the ledger has no such transaction. */
void           pd_ledger_find_transaction_async       (PdLedger             *self,
                                                       const char           *account_id,
                                                       const char           *reference,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
PdTransaction *pd_ledger_find_transaction_finish      (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* The newest transaction with @order_id: lets a retry reuse an order id safely. */
void           pd_ledger_find_by_order_id_async       (PdLedger             *self,
                                                       const char           *account_id,
                                                       const char           *order_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
PdTransaction *pd_ledger_find_by_order_id_finish      (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* Adds a timeline entry (e.g. the 3-D Secure page was shown) with the transaction's current status. */
void           pd_ledger_add_event_async              (PdLedger             *self,
                                                       const char           *account_id,
                                                       const char           *reference,
                                                       PdLedgerEventKind     kind,
                                                       const char           *note,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
PdLedgerEvent *pd_ledger_add_event_finish             (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* A GListModel of PdLedgerEvent, oldest first. */
void           pd_ledger_list_events_async            (PdLedger             *self,
                                                       const char           *account_id,
                                                       const char           *reference,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel    *pd_ledger_list_events_finish           (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/*
 * A refund with ledger-id 0 is added (it must not take the pending, unknown
 * and succeeded refunds beyond the transaction's amount); otherwise that
 * refund's amount, outcome, message and note are updated. The transaction's
 * refunded-amount becomes the sum of its succeeded refunds, and its timeline
 * gets a "refund" event. Finishes with the refund as stored.
 */
void           pd_ledger_record_refund_async          (PdLedger             *self,
                                                       PdRefund             *refund,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
PdRefund      *pd_ledger_record_refund_finish         (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* A GListModel of PdRefund, oldest first. */
void           pd_ledger_list_refunds_async           (PdLedger             *self,
                                                       const char           *account_id,
                                                       const char           *reference,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel    *pd_ledger_list_refunds_finish          (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* Found by account id and link id; unknown fields keep what the ledger had. */
void           pd_ledger_upsert_payment_link_async    (PdLedger             *self,
                                                       PdPaymentLink        *link,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
PdPaymentLink *pd_ledger_upsert_payment_link_finish   (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* A GListModel of PdPaymentLink, newest first. */
void           pd_ledger_list_payment_links_async     (PdLedger             *self,
                                                       const char           *account_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel    *pd_ledger_list_payment_links_finish    (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* Found by account id and subscription id; seen-at becomes now. */
void           pd_ledger_upsert_subscription_async    (PdLedger             *self,
                                                       PdSubscription       *subscription,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
PdSubscription *pd_ledger_upsert_subscription_finish  (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* A GListModel of PdSubscription, newest first. */
void           pd_ledger_list_subscriptions_async     (PdLedger             *self,
                                                       const char           *account_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel    *pd_ledger_list_subscriptions_finish    (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* Up to @max transactions whose status is not final, least recently updated first: what to refresh next. */
void           pd_ledger_list_unsettled_async         (PdLedger             *self,
                                                       const char           *account_id,
                                                       guint                 max,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel    *pd_ledger_list_unsettled_finish        (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* One page (@limit rows from @offset) of PdTransaction matching @filter, in its order. */
void           pd_ledger_query_async                  (PdLedger             *self,
                                                       PdLedgerFilter       *filter,
                                                       guint                 offset,
                                                       guint                 limit,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GListModel    *pd_ledger_query_finish                 (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
GListModel    *pd_ledger_query_sync                   (PdLedger             *self,
                                                       PdLedgerFilter       *filter,
                                                       guint                 offset,
                                                       guint                 limit,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

/* How many transactions match @filter (its sort is ignored); -1 on error. */
void           pd_ledger_count_async                  (PdLedger             *self,
                                                       PdLedgerFilter       *filter,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gint64         pd_ledger_count_finish                 (PdLedger             *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
gint64         pd_ledger_count_sync                   (PdLedger             *self,
                                                       PdLedgerFilter       *filter,
                                                       GCancellable         *cancellable,
                                                       GError              **error);

G_END_DECLS
