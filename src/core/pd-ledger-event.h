/* pd-ledger-event.h: one entry of a transaction's timeline in the ledger */
#pragma once

#include <glib-object.h>

#include "pd-enums.h"

G_BEGIN_DECLS

typedef enum
{
  PD_LEDGER_EVENT_CREATED,          /* first recorded */
  PD_LEDGER_EVENT_STATUS_CHANGED,   /* a new status from the gateway */
  PD_LEDGER_EVENT_CHALLENGE_SHOWN,  /* the 3-D Secure page was shown */
  PD_LEDGER_EVENT_CHALLENGE_ENDED,  /* the payer finished or left it */
  PD_LEDGER_EVENT_RESULT,           /* the outcome shown to the merchant */
  PD_LEDGER_EVENT_REFUND,           /* a refund was requested or settled */
  PD_LEDGER_EVENT_NOTE,             /* anything else worth keeping */
} PdLedgerEventKind;

#define PD_TYPE_LEDGER_EVENT_KIND (pd_ledger_event_kind_get_type ())
GType              pd_ledger_event_kind_get_type  (void) G_GNUC_CONST;
/* Stable keys for the ledger: "created", "status-changed", ... */
const char        *pd_ledger_event_kind_to_key    (PdLedgerEventKind  kind);
PdLedgerEventKind  pd_ledger_event_kind_from_key  (const char        *key);
const char        *pd_ledger_event_kind_get_label (PdLedgerEventKind  kind);

#define PD_TYPE_LEDGER_EVENT (pd_ledger_event_get_type ())
G_DECLARE_FINAL_TYPE (PdLedgerEvent, pd_ledger_event, PD, LEDGER_EVENT, GObject)

PdLedgerEvent     *pd_ledger_event_new                (void);
PdLedgerEvent     *pd_ledger_event_copy               (PdLedgerEvent *self);
gint64             pd_ledger_event_get_ledger_id      (PdLedgerEvent *self);
void               pd_ledger_event_set_ledger_id      (PdLedgerEvent *self,
                                                       gint64         ledger_id);
gint64             pd_ledger_event_get_transaction_id (PdLedgerEvent *self);
void               pd_ledger_event_set_transaction_id (PdLedgerEvent *self,
                                                       gint64         transaction_id);
PdLedgerEventKind  pd_ledger_event_get_kind           (PdLedgerEvent *self);
void               pd_ledger_event_set_kind           (PdLedgerEvent     *self,
                                                       PdLedgerEventKind  kind);
PdStatus           pd_ledger_event_get_status         (PdLedgerEvent *self);
void               pd_ledger_event_set_status         (PdLedgerEvent *self,
                                                       PdStatus       status);
const char        *pd_ledger_event_get_gateway_status (PdLedgerEvent *self);
void               pd_ledger_event_set_gateway_status (PdLedgerEvent *self,
                                                       const char    *gateway_status);
gint64             pd_ledger_event_get_at             (PdLedgerEvent *self);
void               pd_ledger_event_set_at             (PdLedgerEvent *self,
                                                       gint64         at);
const char        *pd_ledger_event_get_note           (PdLedgerEvent *self);
void               pd_ledger_event_set_note           (PdLedgerEvent *self,
                                                       const char    *note);

G_END_DECLS
