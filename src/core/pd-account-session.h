/* pd-account-session.h: one open account: its client, its pacer, the ledger */
#pragma once

#include <gio/gio.h>

#include "pd-account-store.h"
#include "pd-account.h"
#include "pd-ledger.h"
#include "pd-pacer.h"
#include "pd-paysgator.h"
#include "pd-pesogate.h"

G_BEGIN_DECLS

#define PD_TYPE_ACCOUNT_SESSION (pd_account_session_get_type ())

G_DECLARE_FINAL_TYPE (PdAccountSession, pd_account_session, PD, ACCOUNT_SESSION, GObject)

/* Looks the account's secrets up in the keyring (through @store) and builds
 * its gateway client with one pacer at the account's rate limit. The
 * secrets live on only inside the client's HTTP headers. */
void              pd_account_session_open_async     (PdAccount            *account,
                                                     PdAccountStore       *store,
                                                     PdLedger             *ledger,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
PdAccountSession *pd_account_session_open_finish    (GAsyncResult         *result,
                                                     GError              **error);

PdAccount        *pd_account_session_get_account    (PdAccountSession     *self);
PdLedger         *pd_account_session_get_ledger     (PdAccountSession     *self);
PdPacer          *pd_account_session_get_pacer      (PdAccountSession     *self);
/* The client for the account's gateway; the other one is NULL. */
PdPesogate       *pd_account_session_get_pesogate   (PdAccountSession     *self);
PdPaysgator      *pd_account_session_get_paysgator  (PdAccountSession     *self);

/* Background refresh of the ledger's non-final transactions of this account,
 * through the pacer at background priority, every @interval_seconds (0 stops
 * it). Each status change lands in the ledger with a timeline event. */
void              pd_account_session_set_refresh_interval (PdAccountSession *self,
                                                           guint             interval_seconds);
/* Records @transaction (upsert) and, when its status changed, a timeline
 * event with @note; emits "transaction-changed" (PdTransaction *) on success. */
void              pd_account_session_record_async   (PdAccountSession     *self,
                                                     PdTransaction        *transaction,
                                                     const char           *note,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
PdTransaction    *pd_account_session_record_finish  (PdAccountSession     *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* The refresh interval in seconds; 0 when the refresh is off. Also the
 * "refresh-interval" property, so the settings can be bound to it. */
guint             pd_account_session_get_refresh_interval (PdAccountSession *self);

/* Asks the gateway for @reference (a PesoGate reference or a PaysGator
 * transaction id) through the pacer, records the answer with @note as the
 * source of its timeline events, emits "transaction-changed" and finishes
 * with the row as stored. @flags may add PD_HTTP_FLAGS_BACKGROUND for work
 * nobody waits for. Without a ledger it finishes with the gateway's answer,
 * unrecorded. Errors are PD_GATEWAY_ERROR or PD_LEDGER_ERROR. */
void              pd_account_session_look_up_async  (PdAccountSession     *self,
                                                     const char           *reference,
                                                     PdHttpFlags           flags,
                                                     const char           *note,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
PdTransaction    *pd_account_session_look_up_finish (PdAccountSession     *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* Signals:
 *   "transaction-changed" (PdAccountSession *self, PdTransaction *transaction):
 *      a ledger row of this account was added or its status changed (by the
 *      app or by the background refresh); views refresh from it. */

G_END_DECLS
