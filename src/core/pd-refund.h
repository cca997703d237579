/* pd-refund.h: a full or partial refund of one transaction, with its outcome */
#pragma once

#include <glib-object.h>

#include "pd-enums.h"

G_BEGIN_DECLS

/* What is known about a refund: PENDING while the request is out, UNKNOWN when
 * the answer was lost (check the transaction's status before doing anything). */
typedef enum
{
  PD_REFUND_OUTCOME_PENDING,
  PD_REFUND_OUTCOME_SUCCEEDED,
  PD_REFUND_OUTCOME_FAILED,
  PD_REFUND_OUTCOME_UNKNOWN,
} PdRefundOutcome;

#define PD_TYPE_REFUND_OUTCOME (pd_refund_outcome_get_type ())
GType            pd_refund_outcome_get_type  (void) G_GNUC_CONST;
/* Stable keys for the ledger: "pending", "succeeded", "failed", "unknown". */
const char      *pd_refund_outcome_to_key    (PdRefundOutcome  outcome);
PdRefundOutcome  pd_refund_outcome_from_key  (const char      *key);
const char      *pd_refund_outcome_get_label (PdRefundOutcome  outcome);

#define PD_TYPE_REFUND (pd_refund_get_type ())
G_DECLARE_FINAL_TYPE (PdRefund, pd_refund, PD, REFUND, GObject)

PdRefund        *pd_refund_new              (void);
PdRefund        *pd_refund_copy             (PdRefund *self);
gint64           pd_refund_get_ledger_id    (PdRefund *self);
void             pd_refund_set_ledger_id    (PdRefund *self,
                                             gint64    ledger_id);
const char      *pd_refund_get_account_id   (PdRefund *self);
void             pd_refund_set_account_id   (PdRefund   *self,
                                             const char *account_id);
const char      *pd_refund_get_transaction  (PdRefund *self);
void             pd_refund_set_transaction  (PdRefund   *self,
                                             const char *transaction);
gint64           pd_refund_get_amount       (PdRefund *self);
void             pd_refund_set_amount       (PdRefund *self,
                                             gint64    amount);
const char      *pd_refund_get_currency     (PdRefund *self);
void             pd_refund_set_currency     (PdRefund   *self,
                                             const char *currency);
gint64           pd_refund_get_requested_at (PdRefund *self);
void             pd_refund_set_requested_at (PdRefund *self,
                                             gint64    requested_at);
PdRefundOutcome  pd_refund_get_outcome      (PdRefund *self);
void             pd_refund_set_outcome      (PdRefund        *self,
                                             PdRefundOutcome  outcome);
const char      *pd_refund_get_message      (PdRefund *self);
void             pd_refund_set_message      (PdRefund   *self,
                                             const char *message);
const char      *pd_refund_get_note         (PdRefund *self);
void             pd_refund_set_note         (PdRefund   *self,
                                             const char *note);

G_END_DECLS
